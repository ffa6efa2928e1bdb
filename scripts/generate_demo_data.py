"""Generate deterministic, deliberately messy demo data for the lead-scoring project.

The data imitates a CRM + marketing-automation export. Every column is written as
VARCHAR text, exactly as a CSV export would deliver it, so that broken values
(unparseable timestamps, stray spaces, empty strings) can exist. Nine Parquet
files are written to the output directory: the four lead files below and the five
CRM tables of ``docs/crm_contract.md`` further down.

``leads.parquet``
    One row per *version* of a lead (1-4 versions): lead_id (``L0000001``), email,
    first_name, last_name, job_title, seniority, department, company_name,
    company_domain, industry, employee_count, annual_revenue, country, city,
    lead_source, created_at, updated_at, is_deleted. ``created_at`` is the same for
    all versions, ``updated_at`` increases. Later versions bring promotions (new
    seniority and title), sometimes a job change (new company, domain and email)
    or a re-classified industry. About 3% of leads have a latest version with
    ``is_deleted = 'true'``. Leads come from 16 countries in four markets
    (na: US CA MX, latam: BR AR, emea: GB DE FR IT ES NL RU, apac: JP IN AU SG),
    the country written as ISO code or English name, with native names in their
    own script (Cyrillic, Japanese, accents, umlauts, Catalan names in
    Barcelona/Girona) and about 1% unknown countries ('Atlantis', empty).
    Companies come from a shared pool so several leads belong to one account;
    about 1% of leads work for the competitors rivalsoft.com / competeware.io.
``lead_attributes.parquet``
    lead_id, attribute_name, attribute_value, updated_at: custom CRM properties
    ``budget_status`` (none/planned/approved), ``tech_stack``, ``trial_status``
    (none/active/expired) and ``newsletter_opt_in`` (true/false), 1-3 versions each.
``events.parquet``
    event_id, lead_id, event_type, occurred_at, page_path, content_type,
    campaign_id, email_id for page_view, email_open, email_click,
    content_download, webinar_registered, webinar_attended, demo_request,
    form_submit, unsubscribe and support_ticket, over ``months`` months ending at
    ``end_date``, always after the lead's created_at. Events per lead are heavily
    skewed (log-normal; many leads with a handful, a few with hundreds).
``lead_outcomes.parquet``
    lead_id, is_converted ('true'/'false'), converted_at (timestamp text or ''):
    the clean ground truth.

CRM tables, consistent with the leads, their events and their outcomes:

``opportunities.parquet``
    opportunity_id (``OPP0000001``), lead_id, stage, amount, currency, created_at,
    closed_at, is_won, is_closed, updated_at: one row per *version* of a deal (1-3
    versions, updated_at increasing, e.g. discovery -> proposal -> closed_won; an
    empty updated_at on a first version means created_at). Every converted lead has
    exactly one won deal, created between the lead's created_at and converted_at and
    closed (stage closed_won) at exactly converted_at. Some other leads, more often
    with high intent and fit, have a deal that was lost (closed_lost) or is still
    open (closed_at empty); a few leads also have an earlier lost deal. Competitor
    leads are never won. amount is in the currency of the lead's country (US USD,
    CA CAD, MX MXN, BR BRL, AR ARS, GB GBP, DE FR IT ES NL EUR, RU RUB, JP JPY,
    IN INR, AU AUD, SG SGD, unknown USD), 5k-150k USD equivalent, often empty in
    the first version. About 25% of leads have a deal, ~2 rows per deal.
``sales_activities.parquet``
    activity_id (``ACT00000001``), lead_id, activity_type (call/email/meeting),
    outcome (connected/no_answer/voicemail for calls, replied or '' for e-mails,
    held/no_show for meetings), owner_id (U001..U020, mostly one rep per lead),
    occurred_at: 3-7 touches per deal from three weeks before it opened until a week
    after it closed, always with a meeting held while the deal was open (so before
    every won deal closed), and 1-4 touches on some other leads (more with high
    intent); always after the lead's created_at. About 1.9 per lead.
``campaigns.parquet``
    campaign_id, channel (email, webinar, paid_search, paid_social, partner, event,
    content), market (na/latam/emea/apac, '' for global), spend in the market's
    currency (na USD, latam BRL, emea EUR, apac USD, global USD), currency,
    started_at, ended_at ('' while running): every campaign_id of events.campaign_id
    once (read back from events.parquet; monthly e-mail and webinar campaigns run
    for their month), plus quarterly events and content syndication without
    tracked events. Some 100-200 campaigns, independent of the number of leads.
``consents.parquet``
    lead_id, purpose (marketing/analytics), status (granted/withdrawn),
    recorded_at: a marketing grant within a minute of creation for most leads (92%
    in emea, 65% elsewhere; the rest have no row), a marketing withdrawal at the
    exact time of every unsubscribe event (re-derived from the event plan, so also
    where the event row lost its lead_id or timestamp), a re-grant at least a day
    after the last unsubscribe for about 20% of those leads (at least one), and
    analytics consents for 20% of leads (some withdrawn later). About 1.1 per lead.
``erasure_requests.parquet``
    lead_id, requested_at: about 0.5% of leads (deleted leads much more often;
    always including three forced leads and the forced deleted lead, so at least
    two requests from two leads on), requested after the lead's created_at.

Behaviour: every lead has a latent intent in [0, 1] that raises the rate of
high-value events (pricing views, demo requests, webinars, case studies,
'/product-demo' clicks). The conversion probability is logistic in a fit score
(seniority, technology industry, 50-500 employees, US/GB/CA) and the intent;
about 8-15% of leads convert, after created_at and not after end_date.
Competitor leads never convert.

Deliberate mess (about 0.2-2% each, every kind forced to appear at least once,
even for a few hundred leads):

* category values (industry, seniority, country, event_type, content_type) in
  mixed case and with stray spaces: ``' Technology'``, ``'PAGE_VIEW '``,
  ``'Page_View'``;
* duplicate event_ids, both exact duplicate rows and the same id with different
  content (shifted timestamp);
* events whose lead_id does not exist (``'L9999999x'``, ids past the last lead);
* rows without lead_id (NULL and '') in leads, lead_attributes and events;
* unparseable timestamps in leads.created_at, leads.updated_at,
  lead_attributes.updated_at and events.occurred_at (``'not a date'``,
  ``'2025-02-30 10:00:00'``, ``'31/12/2025 10:00'``, ``''``);
* valid timestamps in mixed forms: mostly ``'2025-03-01 10:00:00'`` (UTC), some
  ``'2025-03-01T10:00:00Z'``, some with the lead's local offset
  ``'2025-03-01T12:00:00+02:00'``;
* empty strings where NULL could be (employee_count, annual_revenue, city,
  job_title, attribute values, unused event columns);
* deleted leads.

CRM mess (each kind forced at least once, most also at random):

* rows without lead_id (NULL and '') and with unknown lead_ids ('L9999xyzx', ids
  past the last lead) in opportunities, sales_activities and consents; an erasure
  request with an empty lead_id; a deal without opportunity_id;
* unparseable timestamps in every timestamp column (opportunities.created_at,
  closed_at, updated_at, sales_activities.occurred_at, consents.recorded_at,
  erasure_requests.requested_at, campaigns.ended_at) and valid ones with 'Z' or
  local offsets, date-only campaign dates; never on the facts the tables must
  agree on (won deals' closed_at and updated_at, the meeting of a deal,
  withdrawals and re-grants);
* mixed case and stray spaces in stage, currency, activity_type, outcome,
  purpose, status, channel and market (``' Meeting'``, ``'GRANTED'``, ``'EMEA'``),
  an empty activity_type;
* duplicate activity_ids, exact copies and the same id with another time
  (and outcome for calls);
* unparseable amount and spend (``'n/a'``), booleans in other accepted spellings
  (``'TRUE'``, ``'t'``, ``'yes'``, ``'0'`` ...), an unknown consent status
  (``'maybe'``);
* lost deals closed before they were created.

Clean mode (``--clean``, ``generate(..., clean=True)``): the same population from the
same seed, for benchmarks and peers that must not need any cleaning, with none of
the deliberate mess above. Only the four lead files are written (stale CRM files
in the output directory are removed). Every timestamp is ``'YYYY-MM-DD HH:MM:SS'``
UTC; category values are lower-case without stray spaces; countries are an ISO
code or English name (or the unknown 'Atlantis' / 'Unknown' / 'N/A'); a missing
value is NULL, never ``''``; no row lacks its lead_id, no event_id repeats, every
event's lead exists and the versions of a lead or attribute never share an
updated_at. Deleted leads remain (``is_deleted`` 'true' on their latest version).

Implementation: everything is generated inside DuckDB with SQL over ``range()``.
Pseudo-random numbers come from ``hash(seed, key, salt)`` (never ``random()``),
so results do not depend on thread scheduling, and every output is written in
an explicit key order, leads/attributes/outcomes with ``ORDER BY`` and events
(which can be 50 million rows) by an order-preserving pipeline (table scan ->
unnest -> projection) with ``preserve_insertion_order``. The same arguments thus
give identical files. Events stream from a per-lead plan table straight into
``COPY ... TO 'events.parquet'``; DuckDB's memory_limit and a temp_directory
under the output directory keep memory bounded. The CRM tables are small per lead
and built from the lead plan afterwards with their own forced positions (from
``random.Random(f"crm-{seed}")``), so the four lead files are the same as without
them.

Usage::

    python scripts/generate_demo_data.py --out data/demo --leads 2000 --seed 42
    python scripts/generate_demo_data.py --out /tmp/clean --leads 100000 --clean
"""

from __future__ import annotations

import argparse
import random
import shutil
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

# --------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Locale:
    """A population of leads: country, names in their own script, cities."""

    code: str
    name: str
    market: str
    weight: int
    tz_minutes: int
    tld: str
    legal_suffix: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    cities: tuple[str, ...]
    # Explicit romanisation for names not written in Latin script.
    romanized: dict[str, str] = field(default_factory=dict)
    # Russian-style surnames take a suffix for women (Петров -> Петрова).
    female_first_names: frozenset[str] = frozenset()
    female_suffix: tuple[str, str] = ("", "")  # (native, ascii)
    german_folding: bool = False  # ä -> ae, ö -> oe, ü -> ue for e-mails


LOCALES: tuple[Locale, ...] = (
    Locale(
        "US", "United States", "na", 30, -300, ".com", "Inc.",
        ("James", "Mary", "Michael", "Jennifer", "Robert", "Linda", "David", "Sarah",
         "Emily", "Daniel", "Jessica", "Christopher"),
        ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia",
         "Wilson", "Anderson", "Taylor", "Thomas"),
        ("New York", "San Francisco", "Austin", "Chicago", "Boston", "Seattle", "Denver",
         "Atlanta"),
    ),
    Locale(
        "CA", "Canada", "na", 5, -300, ".ca", "Inc.",
        ("Liam", "Olivia", "Noah", "Emma", "Chloé", "Mathieu", "Geneviève", "Ethan"),
        ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "MacDonald", "Campbell",
         "Wilson"),
        ("Toronto", "Montréal", "Vancouver", "Calgary", "Ottawa", "Québec"),
    ),
    Locale(
        "MX", "Mexico", "na", 4, -360, ".com.mx", "S.A. de C.V.",
        ("José", "Guadalupe", "Alejandro", "Sofía", "Fernando", "Mariana", "Luis",
         "Ximena"),
        ("Hernández", "García", "Martínez", "López", "González", "Rodríguez", "Pérez",
         "Sánchez"),
        ("Ciudad de México", "Guadalajara", "Monterrey", "Puebla", "Querétaro"),
    ),
    Locale(
        "BR", "Brazil", "latam", 5, -180, ".com.br", "Ltda.",
        ("João", "Maria", "Antônio", "Francisca", "Lucas", "Beatriz", "Thiago",
         "Letícia"),
        ("Conceição", "Silva", "Santos", "Oliveira", "Souza", "Araújo", "Gonçalves",
         "Pereira"),
        ("São Paulo", "Rio de Janeiro", "Belo Horizonte", "Brasília", "Curitiba",
         "Porto Alegre"),
    ),
    Locale(
        "AR", "Argentina", "latam", 3, -180, ".com.ar", "S.A.",
        ("Martín", "Valentina", "Santiago", "Lucía", "Facundo", "Camila"),
        ("González", "Fernández", "Romero", "Sosa", "Álvarez", "Benítez"),
        ("Buenos Aires", "Córdoba", "Rosario", "Mendoza"),
    ),
    Locale(
        "GB", "United Kingdom", "emea", 8, 0, ".co.uk", "Ltd",
        ("Oliver", "Amelia", "Harry", "Isla", "George", "Charlotte", "Jack", "Sophie"),
        ("Smith", "Jones", "Taylor", "Brown", "Evans", "Davies", "Wright", "O'Brien"),
        ("London", "Manchester", "Edinburgh", "Bristol", "Leeds", "Birmingham"),
    ),
    Locale(
        "DE", "Germany", "emea", 7, 60, ".de", "GmbH",
        ("Jürgen", "Jörg", "Lukas", "Anna", "Günter", "Sophie", "Maximilian", "Käthe"),
        ("Müller", "Schröder", "Weiß", "Schäfer", "Köhler", "Becker", "Hoffmann",
         "Groß"),
        ("Berlin", "München", "Köln", "Düsseldorf", "Hamburg", "Frankfurt am Main"),
        german_folding=True,
    ),
    Locale(
        "FR", "France", "emea", 6, 60, ".fr", "SAS",
        ("François", "Hélène", "Amélie", "Jérôme", "Cécile", "Benoît", "Zoé", "Gaël"),
        ("Dubois", "Lefèvre", "Moreau", "Girard", "Rousseau", "Fontaine", "Chevalier",
         "Faure"),
        ("Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Bordeaux"),
    ),
    Locale(
        "IT", "Italy", "emea", 4, 60, ".it", "S.p.A.",
        ("Giulia", "Marco", "Francesca", "Alessandro", "Chiara", "Luca", "Niccolò",
         "Federica"),
        ("Rossi", "Bianchi", "Russo", "Ferrari", "Esposito", "Romano", "Colombo",
         "Ricci"),
        ("Milano", "Roma", "Torino", "Bologna", "Firenze", "Napoli"),
    ),
    Locale(
        "ES", "Spain", "emea", 3, 60, ".es", "S.L.",
        ("Alejandro", "Lucía", "Javier", "María", "Sergio", "Elena", "Álvaro", "Carmen"),
        ("García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
         "Jiménez"),
        ("Madrid", "Sevilla", "Valencia", "Málaga", "Bilbao"),
    ),
    Locale(  # Catalan names in Catalonia
        "ES", "Spain", "emea", 2, 60, ".cat", "S.L.",
        ("Jordi", "Montserrat", "Núria", "Pau", "Laia", "Oriol", "Mireia", "Arnau"),
        ("Puig", "Vilaró", "Ferrer", "Soler", "Vidal", "Serra", "Casals", "Pujol"),
        ("Barcelona", "Girona", "Sabadell", "Tarragona"),
    ),
    Locale(
        "NL", "Netherlands", "emea", 3, 60, ".nl", "B.V.",
        ("Daan", "Sanne", "Bram", "Femke", "Jeroen", "Eva", "Sem", "Lotte"),
        ("de Vries", "van Dijk", "Jansen", "de Jong", "Bakker", "Visser",
         "van den Berg", "Smit"),
        ("Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven"),
    ),
    Locale(
        "RU", "Russia", "emea", 3, 180, ".ru", "LLC",
        ("Иван", "Дмитрий", "Сергей", "Алексей", "Ольга", "Анна", "Екатерина", "Наталья"),
        ("Петров", "Смирнов", "Иванов", "Кузнецов", "Попов", "Соколов", "Волков",
         "Лебедев"),
        ("Москва", "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Казань"),
        romanized={
            "Иван": "ivan", "Дмитрий": "dmitry", "Сергей": "sergey", "Алексей": "alexey",
            "Ольга": "olga", "Анна": "anna", "Екатерина": "ekaterina",
            "Наталья": "natalya", "Петров": "petrov", "Смирнов": "smirnov",
            "Иванов": "ivanov", "Кузнецов": "kuznetsov", "Попов": "popov",
            "Соколов": "sokolov", "Волков": "volkov", "Лебедев": "lebedev",
        },
        female_first_names=frozenset({"Ольга", "Анна", "Екатерина", "Наталья"}),
        female_suffix=("а", "a"),
    ),
    Locale(
        "JP", "Japan", "apac", 4, 540, ".co.jp", "K.K.",
        ("太郎", "花子", "健太", "さくら", "翔", "美咲", "大輔", "陽菜"),
        ("山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村"),
        ("東京", "大阪", "横浜", "名古屋", "福岡", "札幌"),
        romanized={
            "太郎": "taro", "花子": "hanako", "健太": "kenta", "さくら": "sakura",
            "翔": "sho", "美咲": "misaki", "大輔": "daisuke", "陽菜": "hina",
            "山田": "yamada", "佐藤": "sato", "鈴木": "suzuki", "高橋": "takahashi",
            "田中": "tanaka", "伊藤": "ito", "渡辺": "watanabe", "中村": "nakamura",
        },
    ),
    Locale(
        "IN", "India", "apac", 5, 330, ".in", "Pvt Ltd",
        ("Aarav", "Priya", "Rahul", "Ananya", "Vikram", "Sneha", "Arjun", "Kavya"),
        ("Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair"),
        ("Bengaluru", "Mumbai", "New Delhi", "Hyderabad", "Chennai", "Pune"),
    ),
    Locale(
        "AU", "Australia", "apac", 3, 600, ".com.au", "Pty Ltd",
        ("Jack", "Charlotte", "William", "Mia", "Lachlan", "Matilda"),
        ("Smith", "Jones", "Williams", "Brown", "Wilson", "Nguyen"),
        ("Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide"),
    ),
    Locale(
        "SG", "Singapore", "apac", 2, 480, ".sg", "Pte Ltd",
        ("Wei Ling", "Jun Jie", "Hui Min", "Arun", "Siti", "Darren"),
        ("Tan", "Lim", "Lee", "Ng", "Wong", "Kumar"),
        ("Singapore",),
    ),
    Locale(  # unknown / junk country (1% of leads, chosen separately: weight unused)
        "", "", "unknown", 0, 0, ".com", "Ltd",
        ("Alex", "Sam", "Chris", "Jordan"),
        ("Doe", "Roe", "Smith", "Lee"),
        ("",),
    ),
)
UNKNOWN_LOCALE = len(LOCALES)  # 1-based index of the last locale
UNKNOWN_COUNTRY_TEXTS = ("Atlantis", "", None, "Unknown", "N/A")

MARKETS: dict[str, str] = {loc.code: loc.market for loc in LOCALES if loc.code}

SENIORITIES = ("c_level", "vp", "director", "manager", "individual_contributor", "intern")
SENIORITY_WEIGHTS = (5, 7, 13, 25, 45, 5)
SENIORITY_FIT = (1.0, 0.9, 0.7, 0.4, 0.15, 0.0)

DEPARTMENTS = ("marketing", "sales", "engineering", "finance", "operations", "hr", "it")
DEPARTMENT_WEIGHTS = (25, 18, 20, 9, 10, 6, 12)

# JOB_TITLES[seniority][department] -> alternatives
JOB_TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "c_level": {
        "marketing": ("Chief Marketing Officer",),
        "sales": ("Chief Revenue Officer", "Chief Sales Officer"),
        "engineering": ("Chief Technology Officer",),
        "finance": ("Chief Financial Officer",),
        "operations": ("Chief Executive Officer", "Chief Operating Officer"),
        "hr": ("Chief People Officer", "Chief Human Resources Officer"),
        "it": ("Chief Information Officer",),
    },
    "vp": {
        "marketing": ("VP of Marketing", "VP Demand Generation"),
        "sales": ("VP of Sales",),
        "engineering": ("VP of Engineering",),
        "finance": ("VP of Finance",),
        "operations": ("VP of Operations",),
        "hr": ("VP of People",),
        "it": ("VP of IT", "VP of Infrastructure"),
    },
    "director": {
        "marketing": ("Director of Marketing", "Marketing Director"),
        "sales": ("Director of Sales", "Sales Director"),
        "engineering": ("Director of Engineering",),
        "finance": ("Finance Director",),
        "operations": ("Director of Operations",),
        "hr": ("HR Director",),
        "it": ("IT Director",),
    },
    "manager": {
        "marketing": ("Marketing Manager", "Marketing Operations Manager"),
        "sales": ("Sales Manager", "Account Manager"),
        "engineering": ("Engineering Manager",),
        "finance": ("Finance Manager",),
        "operations": ("Operations Manager",),
        "hr": ("HR Manager",),
        "it": ("IT Manager",),
    },
    "individual_contributor": {
        "marketing": ("Marketing Specialist", "Content Marketer"),
        "sales": ("Account Executive", "Sales Development Representative"),
        "engineering": ("Software Engineer", "Data Engineer"),
        "finance": ("Financial Analyst", "Accountant"),
        "operations": ("Operations Analyst",),
        "hr": ("Recruiter", "HR Generalist"),
        "it": ("Systems Administrator", "IT Support Specialist"),
    },
    "intern": {
        "marketing": ("Marketing Intern",),
        "sales": ("Sales Intern",),
        "engineering": ("Software Engineering Intern",),
        "finance": ("Finance Intern",),
        "operations": ("Operations Intern",),
        "hr": ("HR Intern",),
        "it": ("IT Intern",),
    },
}

INDUSTRIES = ("technology", "finance", "healthcare", "education", "retail",
              "manufacturing", "government", "media")
INDUSTRY_WEIGHTS = (30, 14, 11, 8, 11, 12, 5, 9)
INDUSTRY_FIT = (1.0, 0.6, 0.4, 0.25, 0.35, 0.4, 0.2, 0.5)
REVENUE_PER_EMPLOYEE = (250_000, 400_000, 150_000, 80_000, 120_000, 200_000, 100_000,
                        180_000)

LEAD_SOURCES = ("web", "paid_search", "organic_search", "social", "email", "event",
                "referral", "partner")
LEAD_SOURCE_WEIGHTS = (25, 15, 18, 10, 8, 9, 8, 7)

COMPANY_WORDS_A = (
    "Acme", "Globex", "Initech", "Northwind", "Contoso", "Fabrikam", "Tailspin",
    "Vandelay", "Brightline", "Bluepeak", "Silverleaf", "Ironbridge", "Redwood",
    "Clearwater", "Stonegate", "Nimbus", "Quantum", "Vertex", "Zenith", "Apex",
    "Helix", "Lumen", "Orbit", "Polaris", "Summit", "Cobalt", "Evergreen", "Falcon",
    "Harbor", "Keystone", "Meridian", "Nova", "Pinnacle", "Riverbend", "Sterling",
    "Trident", "Unity", "Vista", "Willow", "Granite",
)
COMPANY_WORDS_B = (
    "Systems", "Labs", "Group", "Analytics", "Solutions", "Dynamics", "Works",
    "Partners", "Networks", "Logistics", "Health", "Capital", "Media", "Foods",
    "Industries", "Software", "Energy", "Consulting", "Retail", "Learning",
)
COMPANY_WORDS_C = (
    "Global", "International", "Europe", "Americas", "Pacific", "Nordic", "Digital",
    "Cloud", "Direct", "One", "Plus", "Pro", "Central", "United", "Advanced",
)
# (name, domain, industry index, employees, revenue, locale index) - 1-based indexes
COMPETITORS = (
    ("RivalSoft Inc.", "rivalsoft.com", 1, 850, 212_500_000, 1),
    ("CompeteWare B.V.", "competeware.io", 1, 140, 31_000_000, 12),
)
PERSONAL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com",
                    "gmx.de", "yandex.ru")

BLOG_SLUGS = ("lead-scoring-101", "marketing-attribution", "intent-data-explained",
              "b2b-funnel-benchmarks", "crm-hygiene", "account-based-marketing",
              "product-update-q1", "customer-story-acme", "email-deliverability",
              "sales-marketing-alignment", "data-privacy-gdpr", "webinar-recap")
CAREER_SLUGS = ("senior-data-engineer", "account-executive-emea", "product-designer",
                "customer-success-manager", "marketing-intern")
DOC_PAGES = ("getting-started", "api", "integrations", "security", "sso", "billing")
EMAIL_NAMES = ("newsletter", "product_update", "webinar_invite", "case_study_digest",
               "promo", "onboarding")
WEBINAR_TOPICS = ("scoring_masterclass", "abm_playbook", "pipeline_analytics",
                  "crm_migration", "ai_for_sales")
CONTENT_TYPES = ("case_study", "ebook", "whitepaper", "datasheet")
SUPPORT_TYPES = ("sales_inquiry", "technical", "billing", "account")
TECH_STACKS = ("salesforce", "hubspot", "marketo", "pardot", "dynamics", "pipedrive",
               "none")
FORM_PATHS = ("/contact", "/newsletter", "/events", "/partners")
EVENT_TYPES = ("page_view", "email_open", "email_click", "content_download",
               "webinar_registered", "webinar_attended", "demo_request", "form_submit",
               "unsubscribe", "support_ticket")
ATTRIBUTES = ("budget_status", "tech_stack", "trial_status", "newsletter_opt_in")
ATTRIBUTE_PRESENCE = (0.6, 0.7, 0.4, 0.8)

# CRM reference data. Deal amounts are drawn in USD and written in the currency of
# the lead's country (units per USD, roughly 2024-2025 levels).
COUNTRY_CURRENCIES = {"US": "USD", "CA": "CAD", "MX": "MXN", "BR": "BRL", "AR": "ARS",
                      "GB": "GBP", "DE": "EUR", "FR": "EUR", "IT": "EUR", "ES": "EUR",
                      "NL": "EUR", "RU": "RUB", "JP": "JPY", "IN": "INR", "AU": "AUD",
                      "SG": "SGD"}
UNITS_PER_USD = {"USD": 1.0, "CAD": 1.37, "MXN": 18.5, "BRL": 5.4, "ARS": 950.0,
                 "GBP": 0.79, "EUR": 0.92, "RUB": 90.0, "JPY": 150.0, "INR": 84.0,
                 "AUD": 1.52, "SGD": 1.34}
MARKET_CURRENCIES = {"": "USD", "na": "USD", "latam": "BRL", "emea": "EUR", "apac": "USD"}
OPEN_STAGES = ("discovery", "proposal", "negotiation")
DEAL_USD_MIN, DEAL_USD_MAX = 5_000, 150_000
ACTIVITY_TYPES = ("call", "email", "meeting")
ACTIVITY_TYPE_WEIGHTS = (9, 8, 3)
N_REPS = 20  # owner_id U001..U020
# Campaign channels by campaign_id prefix, with the range of total spend in USD.
CAMPAIGN_SPEND_USD = {"email": (300, 3_000), "webinar": (2_000, 12_000),
                      "paid_search": (40_000, 250_000), "paid_social": (20_000, 120_000),
                      "partner": (5_000, 40_000), "event": (20_000, 120_000),
                      "content": (5_000, 25_000)}
TRUE_SPELLINGS = ("TRUE", "True", "t", "1", "yes", "Y")
FALSE_SPELLINGS = ("FALSE", "False", "f", "0", "no", "N")

# Thresholds of the timestamp formatter `fmt_ts` (cumulative; see _create_macros).
TS_NOT_A_DATE, TS_FEB_30, TS_DAY_FIRST, TS_EMPTY, TS_ZULU, TS_OFFSET = (
    0.002, 0.004, 0.006, 0.008, 0.038, 0.058)
# A value of u inside each band, used to force a given format.
TS_FORCE_U = {"not_a_date": 0.001, "feb_30": 0.003, "day_first": 0.005, "empty": 0.007,
              "zulu": 0.02, "offset": 0.05}

BIG = 1_000_000  # microseconds per second
DAY_US = 86_400 * BIG
MAX_LEADS = 9_999_999
# Leads per row group of the temporary event plan = per batch of the events COPY.
EVENT_PLAN_LEADS_PER_BATCH = 2048

LEAD_FILES = ("leads.parquet", "lead_attributes.parquet", "events.parquet",
              "lead_outcomes.parquet")
CRM_FILES = ("opportunities.parquet", "sales_activities.parquet", "campaigns.parquet",
             "consents.parquet", "erasure_requests.parquet")
FILES = LEAD_FILES + CRM_FILES
DEBUG_FILE = "_debug_lead_latent.parquet"


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def ascii_fold(text: str, german: bool = False) -> str:
    """Lower-case ASCII version of a Latin-script name, as used in e-mail addresses."""
    t = text.lower()
    if german:
        t = t.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    for src, dst in {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l"}.items():
        t = t.replace(src, dst)
    t = unicodedata.normalize("NFKD", t)
    return "".join(c for c in t if c.isascii() and c.isalnum())


def sql_str(value: str | None) -> str:
    """A SQL string literal (or NULL)."""
    if value is None:
        return "NULL"
    return "'" + value.replace("'", "''") + "'"


def sql_list(values: Iterable[object]) -> str:
    """A DuckDB list literal of strings, numbers or nested lists (already rendered)."""
    parts = []
    for v in values:
        if v is None or isinstance(v, str):
            parts.append(sql_str(v))
        else:
            parts.append(str(v))
    return "[" + ", ".join(parts) + "]"


def weighted_slots(weights: Sequence[int]) -> str:
    """A list of 1-based indexes, each repeated `weight` times: `pick(slots, u)`."""
    return sql_list(i + 1 for i, w in enumerate(weights) for _ in range(w))


def sql_in(key: str, values: Sequence[int]) -> str:
    """`key IN (...)`, or FALSE for no values."""
    if not values:
        return "FALSE"
    return f"{key} IN ({', '.join(str(v) for v in values)})"


def forced_u(key: str, salt: str, forced: dict[float, Sequence[int]]) -> str:
    """Uniform number rnd(key, salt), overridden by fixed values at forced keys."""
    whens = [f"WHEN {sql_in(key, keys)} THEN {u}" for u, keys in forced.items() if keys]
    if not whens:
        return f"rnd({key}, '{salt}')"
    return f"CASE {' '.join(whens)} ELSE rnd({key}, '{salt}') END"


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (clamped to the month's length)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


def epoch_us(day: date) -> int:
    """Microseconds since the epoch at midnight UTC of `day`."""
    return int((datetime(day.year, day.month, day.day) - datetime(1970, 1, 1))
               .total_seconds()) * BIG


class ForcedPositions:
    """Seed-derived distinct keys where a given kind of mess is forced to appear.

    Random fractions alone do not guarantee that every kind of mess shows up in a
    small data set, so each kind also gets a few keys picked with random.Random(seed).
    """

    def __init__(self, rng: random.Random, n_keys: int, kinds: dict[str, int],
                 offset: int = 0) -> None:
        wanted = sum(kinds.values())
        keys = rng.sample(range(n_keys), min(n_keys, wanted)) if n_keys else []
        self.positions: dict[str, list[int]] = {}
        for kind, count in kinds.items():
            self.positions[kind] = [k + offset for k in keys[:count]]
            keys = keys[count:]

    def __getitem__(self, kind: str) -> list[int]:
        return self.positions[kind]

    def all(self) -> list[int]:
        return sorted(k for keys in self.positions.values() for k in keys)


# --------------------------------------------------------------------------------------
# SQL building blocks
# --------------------------------------------------------------------------------------


def _create_macros(con: duckdb.DuckDBPyConnection, seed: int, clean: bool = False) -> None:
    """Random numbers, weighted picks, lookups of the reference data, formatters.

    With ``clean``, ``messy`` returns its value unchanged and ``fmt_ts`` always
    writes the canonical UTC form (the random draws that chose the mess are unused).
    """
    locales_first = [list(loc.first_names) for loc in LOCALES]
    first_ascii = [
        [loc.romanized.get(n) or ascii_fold(n, loc.german_folding) for n in loc.first_names]
        for loc in LOCALES
    ]
    last_ascii = [
        [loc.romanized.get(n) or ascii_fold(n, loc.german_folding) for n in loc.last_names]
        for loc in LOCALES
    ]
    suffix = [
        [loc.female_suffix[0] if n in loc.female_first_names else "" for n in loc.first_names]
        for loc in LOCALES
    ]
    suffix_ascii = [
        [loc.female_suffix[1] if n in loc.female_first_names else "" for n in loc.first_names]
        for loc in LOCALES
    ]
    titles = [[sql_list(JOB_TITLES[s][d]) for d in DEPARTMENTS] for s in SENIORITIES]
    tz_texts = [
        ("+" if loc.tz_minutes >= 0 else "-")
        + f"{abs(loc.tz_minutes) // 60:02d}:{abs(loc.tz_minutes) % 60:02d}"
        for loc in LOCALES
    ]

    def nested(rows: Sequence[Sequence[object]]) -> str:
        return "[" + ", ".join(sql_list(r) for r in rows) + "]"

    statements = [
        # uniform in (0, 1) from the seed, a key and a salt; no random()/setseed()
        (f"CREATE MACRO rnd(_k, _salt) AS "
         f"(CAST(hash({seed}, _k, _salt) % 1000003 AS DOUBLE) + 0.5) / 1000003.0"),
        (f"CREATE MACRO rnd2(_k, _j, _salt) AS "
         f"(CAST(hash({seed}, _k, _j, _salt) % 1000003 AS DOUBLE) + 0.5) / 1000003.0"),
        # standard normal (Box-Muller)
        ("CREATE MACRO normal(_k, _salt) AS sqrt(-2 * ln(rnd(_k, _salt || '.a'))) "
         "* cos(2 * pi() * rnd(_k, _salt || '.b'))"),
        "CREATE MACRO pick(_l, _u) AS _l[1 + CAST(floor(_u * len(_l)) AS BIGINT)]",
        # reference data lookups (1-based indexes)
        f"CREATE MACRO loc_code(_i) AS {sql_list(loc.code for loc in LOCALES)}[_i]",
        f"CREATE MACRO loc_name(_i) AS {sql_list(loc.name for loc in LOCALES)}[_i]",
        f"CREATE MACRO loc_tld(_i) AS {sql_list(loc.tld for loc in LOCALES)}[_i]",
        f"CREATE MACRO loc_legal(_i) AS {sql_list(loc.legal_suffix for loc in LOCALES)}[_i]",
        f"CREATE MACRO loc_tz_min(_i) AS {sql_list(loc.tz_minutes for loc in LOCALES)}[_i]",
        f"CREATE MACRO loc_tz_txt(_i) AS {sql_list(tz_texts)}[_i]",
        f"CREATE MACRO loc_first(_i) AS {nested(locales_first)}[_i]",
        f"CREATE MACRO loc_first_ascii(_i) AS {nested(first_ascii)}[_i]",
        f"CREATE MACRO loc_suffix(_i) AS {nested(suffix)}[_i]",
        f"CREATE MACRO loc_suffix_ascii(_i) AS {nested(suffix_ascii)}[_i]",
        f"CREATE MACRO loc_last(_i) AS {nested([loc.last_names for loc in LOCALES])}[_i]",
        f"CREATE MACRO loc_last_ascii(_i) AS {nested(last_ascii)}[_i]",
        f"CREATE MACRO loc_cities(_i) AS {nested([loc.cities for loc in LOCALES])}[_i]",
        f"CREATE MACRO seniority(_i) AS {sql_list(SENIORITIES)}[_i + 1]",
        f"CREATE MACRO seniority_fit(_i) AS {sql_list(SENIORITY_FIT)}[_i + 1]",
        f"CREATE MACRO department(_i) AS {sql_list(DEPARTMENTS)}[_i]",
        f"CREATE MACRO industry(_i) AS {sql_list(INDUSTRIES)}[_i]",
        f"CREATE MACRO industry_fit(_i) AS {sql_list(INDUSTRY_FIT)}[_i]",
        f"CREATE MACRO revenue_per_employee(_i) AS {sql_list(REVENUE_PER_EMPLOYEE)}[_i]",
        f"CREATE MACRO lead_source(_i) AS {sql_list(LEAD_SOURCES)}[_i]",
        ("CREATE MACRO job_title(_sen, _dept, _u) AS pick("
         + "[" + ", ".join("[" + ", ".join(row) + "]" for row in titles) + "]"
         + "[_sen + 1][_dept], _u)"),
        # 'page_view' -> 'Page_View', 'technology' -> 'Technology'
        ("CREATE MACRO capitalized(_v) AS array_to_string(list_transform("
         "string_split(lower(_v), '_'), lambda x: upper(x[1]) || x[2:]), '_')"),
        # category mess: mixed case and stray spaces; u < 0.5 always visibly messy
        ("CREATE MACRO messy(_v, _u) AS CASE "
         "WHEN _u < 0.25 THEN ' ' || _v "
         "WHEN _u < 0.50 THEN _v || ' ' "
         "WHEN _u < 0.65 THEN upper(_v) "
         "WHEN _u < 0.80 THEN capitalized(_v) "
         "WHEN _u < 0.90 THEN ' ' || capitalized(_v) "
         "ELSE lower(_v) || '  ' END"),
        # timestamp text in mostly-clean, sometimes-different, sometimes-broken form
        ("CREATE MACRO fmt_ts(_us, _u, _tz_min, _tz_txt) AS CASE "
         f"WHEN _u < {TS_NOT_A_DATE} THEN 'not a date' "
         f"WHEN _u < {TS_FEB_30} THEN strftime(make_timestamp(_us), '%Y') || '-02-30 ' "
         "|| strftime(make_timestamp(_us), '%H:%M:%S') "
         f"WHEN _u < {TS_DAY_FIRST} THEN strftime(make_timestamp(_us), '%d/%m/%Y %H:%M') "
         f"WHEN _u < {TS_EMPTY} THEN '' "
         f"WHEN _u < {TS_ZULU} THEN strftime(make_timestamp(_us), '%Y-%m-%dT%H:%M:%SZ') "
         f"WHEN _u < {TS_OFFSET} THEN strftime("
         "make_timestamp(_us + CAST(_tz_min AS BIGINT) * 60000000), '%Y-%m-%dT%H:%M:%S') "
         "|| _tz_txt "
         "ELSE strftime(make_timestamp(_us), '%Y-%m-%d %H:%M:%S') END"),
        "CREATE MACRO clean_ts(_us) AS strftime(make_timestamp(_us), '%Y-%m-%d %H:%M:%S')",
    ]
    if clean:
        statements += [
            "CREATE OR REPLACE MACRO messy(_v, _u) AS _v",
            "CREATE OR REPLACE MACRO fmt_ts(_us, _u, _tz_min, _tz_txt) AS clean_ts(_us)",
        ]
    for statement in statements:
        con.execute(statement)


def _create_companies(con: duckdb.DuckDBPyConnection, n_companies: int, seed: int) -> None:
    """Company pool (accounts) plus the two competitors at the end."""
    n_a, n_b, n_c = len(COMPANY_WORDS_A), len(COMPANY_WORDS_B), len(COMPANY_WORDS_C)
    shift_a, shift_b = seed % n_a, (seed // n_a) % n_b
    competitors = " UNION ALL ".join(
        f"SELECT {n_companies + i} AS company_num, {loc} AS loc, {ind} AS ind, "
        f"{emp}::BIGINT AS employees, {rev}::DOUBLE AS revenue, "
        f"{sql_str(name)} AS company_name, {sql_str(domain)} AS company_domain"
        for i, (name, domain, ind, emp, rev, loc) in enumerate(COMPETITORS)
    )
    con.execute(f"""
        CREATE TABLE companies AS
        WITH base AS (
            SELECT
                c AS company_num,
                pick({weighted_slots([loc.weight for loc in LOCALES[:-1]])},
                     rnd(c, 'co.loc')) AS loc,
                pick({weighted_slots(INDUSTRY_WEIGHTS)}, rnd(c, 'co.ind')) AS ind,
                -- log-normal company size, median ~75 employees, clipped to 1..50000
                CAST(greatest(1, least(50000, round(exp(4.3 + 1.9 * normal(c, 'co.emp')))))
                     AS BIGINT) AS emp,
                rnd(c, 'co.emp_known') < 0.05 AS emp_unknown,
                rnd(c, 'co.rev_known') < 0.06 AS rev_unknown,
                normal(c, 'co.rev') AS rev_noise,
                (c + {shift_a}) % {n_a} AS wa,
                ((c // {n_a}) + {shift_b}) % {n_b} AS wb,
                c // {n_a * n_b} AS gen
            FROM range({n_companies}) t(c)
        ), named AS (
            SELECT *,
                {sql_list(COMPANY_WORDS_A)}[wa + 1] || ' ' || {sql_list(COMPANY_WORDS_B)}[wb + 1]
                || CASE WHEN gen = 0 THEN ''
                        ELSE ' ' || {sql_list(COMPANY_WORDS_C)}[(gen - 1) % {n_c} + 1] END
                || CASE WHEN gen > {n_c} THEN ' ' || ((gen - 1) // {n_c} + 1)::VARCHAR
                        ELSE '' END AS short_name
            FROM base
        )
        SELECT
            company_num, loc, ind,
            CASE WHEN emp_unknown THEN NULL ELSE emp END AS employees,
            CASE WHEN rev_unknown OR (emp_unknown AND rev_noise > 0) THEN NULL
                 ELSE round(emp * revenue_per_employee(ind) * exp(0.45 * rev_noise), -3)
            END AS revenue,
            short_name || ' ' || loc_legal(loc) AS company_name,
            lower(regexp_replace(short_name, '[^A-Za-z0-9]', '', 'g'))
            || CASE WHEN rnd(company_num, 'co.tld') < 0.45 THEN '.com'
                    WHEN ind = 1 AND rnd(company_num, 'co.io') < 0.5 THEN '.io'
                    ELSE loc_tld(loc) END AS company_domain
        FROM named
        UNION ALL {competitors}
        ORDER BY company_num
    """)


def _create_lead_plan(con: duckdb.DuckDBPyConnection, n_leads: int, n_companies: int,
                      events_per_lead: float, window_start_us: int, end_us: int,
                      forced: ForcedPositions) -> None:
    """One row per lead with all latent and per-version decisions."""
    created_lo = window_start_us - 120 * DAY_US
    created_span = (end_us - 2 * DAY_US) - created_lo
    locale_override = " ".join(
        f"WHEN {sql_in('lead_num', forced[f'locale_{i}'])} THEN {i}"
        for i in range(1, len(LOCALES) + 1)
    )
    competitor = " ".join(
        f"WHEN {sql_in('lead_num', forced[f'competitor_{i}'])} THEN {n_companies + i}"
        for i in range(len(COMPETITORS))
    )
    con.execute(f"""
        CREATE TABLE lead_base AS
        SELECT
            lead_num,
            printf('L%07d', lead_num) AS lead_id,
            power(rnd(lead_num, 'intent'), 1.8) AS intent,
            CASE {competitor}
                 WHEN rnd(lead_num, 'competitor') < 0.01
                 THEN {n_companies} + CAST(rnd(lead_num, 'competitor.which') < 0.5 AS INT)
                 ELSE CAST(floor({n_companies} * power(rnd(lead_num, 'company'), 1.6)) AS BIGINT)
            END AS co0,
            CAST(floor({n_companies} * power(rnd(lead_num, 'company.alt'), 1.6)) AS BIGINT)
                AS co1_raw,
            CASE {locale_override}
                 WHEN rnd(lead_num, 'locale.own') < 0.12
                 THEN pick({weighted_slots([loc.weight for loc in LOCALES[:-1]])},
                           rnd(lead_num, 'locale'))
                 ELSE NULL END AS own_loc,
            pick({weighted_slots(SENIORITY_WEIGHTS)}, rnd(lead_num, 'seniority')) - 1 AS sen0,
            pick({weighted_slots(DEPARTMENT_WEIGHTS)}, rnd(lead_num, 'department')) AS dept,
            rnd(lead_num, 'title') AS u_title,
            rnd(lead_num, 'first') AS u_first,
            rnd(lead_num, 'last') AS u_last,
            rnd(lead_num, 'city') AS u_city,
            pick({weighted_slots(LEAD_SOURCE_WEIGHTS)}, rnd(lead_num, 'source')) AS source,
            {created_lo} + CAST(floor({created_span} * sqrt(rnd(lead_num, 'created'))
                                      / {BIG}) AS BIGINT) * {BIG} AS created_us,
            pick([1, 1, 1, 1, 2, 2, 2, 3, 3, 4], rnd(lead_num, 'versions')) AS n_versions,
            CAST(rnd(lead_num, 'promo.1') < 0.3 AS INT) AS p1,
            CAST(rnd(lead_num, 'promo.2') < 0.3 AS INT) AS p2,
            CAST(rnd(lead_num, 'promo.3') < 0.3 AS INT) AS p3,
            rnd(lead_num, 'job_change') AS u_job_change,
            rnd(lead_num, 'industry_change') AS u_industry_change,
            pick({weighted_slots(INDUSTRY_WEIGHTS)}, rnd(lead_num, 'industry.new'))
                AS industry_new,
            CASE WHEN rnd(lead_num, 'email.pattern') < 0.55 THEN 0
                 WHEN rnd(lead_num, 'email.pattern') < 0.75 THEN 1
                 WHEN rnd(lead_num, 'email.pattern') < 0.83 THEN 2
                 WHEN rnd(lead_num, 'email.pattern') < 0.92 THEN 3
                 ELSE 4 END AS email_pattern,
            rnd(lead_num, 'country.form') AS u_country_form,
            {sql_in('lead_num', forced['deleted'])}
                OR rnd(lead_num, 'deleted') < 0.028 AS deleted,
            CASE WHEN {sql_in('lead_num', forced['junk_null'])} THEN 1
                 WHEN {sql_in('lead_num', forced['junk_empty'])} THEN 2
                 WHEN rnd(lead_num, 'junk') < 0.004 THEN 1 + CAST(rnd(lead_num, 'junk.kind')
                                                                  < 0.5 AS INT)
                 ELSE 0 END AS junk_kind,
            CASE WHEN {sql_in('lead_num', forced['unknown_atlantis'])} THEN 'Atlantis'
                 WHEN {sql_in('lead_num', forced['unknown_empty'])} THEN ''
                 ELSE pick({sql_list(UNKNOWN_COUNTRY_TEXTS)}, rnd(lead_num, 'country.unknown'))
            END AS unknown_country_text
        FROM range(1, {n_leads} + 1) t(lead_num)
    """)
    # Forced 'unknown' leads must also live in the unknown locale.
    unknown_forced = forced["unknown_atlantis"] + forced["unknown_empty"]
    con.execute(f"""
        CREATE TABLE lead_plan_1 AS
        SELECT
            b.*,
            CASE WHEN {sql_in('b.lead_num', unknown_forced)}
                      OR rnd(b.lead_num, 'locale.unknown') < 0.01 THEN {UNKNOWN_LOCALE}
                 ELSE coalesce(b.own_loc, c0.loc) END AS loc,
            CASE WHEN b.co0 >= {n_companies} THEN 0
                 WHEN b.n_versions > 1 AND b.u_job_change < 0.15
                 THEN 1 + CAST(floor(rnd(b.lead_num, 'job_change.at') * (b.n_versions - 1))
                               AS INT)
                 ELSE 0 END AS job_change_at,
            CASE WHEN b.n_versions > 1 AND b.u_industry_change < 0.08
                 THEN 1 + CAST(floor(rnd(b.lead_num, 'industry_change.at')
                                     * (b.n_versions - 1)) AS INT)
                 ELSE 0 END AS industry_change_at,
            c0.company_name AS co0_name, c0.company_domain AS co0_domain, c0.ind AS co0_ind,
            c0.employees AS co0_emp, c0.revenue AS co0_rev,
            c1.company_name AS co1_name, c1.company_domain AS co1_domain, c1.ind AS co1_ind,
            c1.employees AS co1_emp, c1.revenue AS co1_rev
        FROM lead_base b
        JOIN companies c0 ON c0.company_num = b.co0
        JOIN companies c1
          ON c1.company_num = CASE WHEN b.co1_raw = b.co0 THEN (b.co1_raw + 1) % {n_companies}
                                   ELSE b.co1_raw END
        ORDER BY b.lead_num
    """)
    con.execute("DROP TABLE lead_base")
    # Latest version -> fit; fit + intent -> conversion; intent -> event volume.
    con.execute(f"""
        CREATE TABLE lead_plan_2 AS
        WITH latest AS (
            SELECT *,
                greatest(0, sen0 - (CASE WHEN n_versions > 1 THEN p1 ELSE 0 END
                                    + CASE WHEN n_versions > 2 THEN p2 ELSE 0 END
                                    + CASE WHEN n_versions > 3 THEN p3 ELSE 0 END)) AS sen_last,
                CASE WHEN job_change_at > 0 THEN co1_emp ELSE co0_emp END AS emp_last,
                CASE WHEN industry_change_at > 0 THEN industry_new
                     WHEN job_change_at > 0 THEN co1_ind ELSE co0_ind END AS ind_last
            FROM lead_plan_1
        ), scored AS (
            SELECT *,
                0.35 * seniority_fit(sen_last)
                + 0.20 * industry_fit(ind_last)
                + 0.25 * CASE WHEN emp_last IS NULL THEN 0.3
                              WHEN emp_last BETWEEN 50 AND 500 THEN 1.0
                              WHEN emp_last BETWEEN 501 AND 2000 THEN 0.6
                              WHEN emp_last BETWEEN 10 AND 49 THEN 0.4
                              WHEN emp_last BETWEEN 2001 AND 10000 THEN 0.4
                              ELSE 0.15 END
                + 0.20 * CASE WHEN loc_code(loc) IN ('US', 'GB', 'CA') THEN 1.0
                              WHEN loc_code(loc) IN ('DE', 'FR', 'NL', 'AU', 'SG') THEN 0.55
                              WHEN loc_code(loc) = '' THEN 0.1
                              ELSE 0.3 END AS fit,
                least(1.0, ({end_us} - greatest(created_us, {window_start_us}))
                           / (60.0 * {DAY_US})) AS maturity
            FROM latest
        ), converted AS (
            SELECT *,
                CASE WHEN co0 >= {n_companies} THEN 0.0
                     ELSE maturity * (CASE WHEN deleted THEN 0.3 ELSE 1.0 END)
                          / (1 + exp(-(-7.0 + 4.5 * fit + 5.0 * intent)))
                END AS p_convert,
                -- heavy-tailed activity: log-normal, more for high intent
                exp(1.3 * normal(lead_num, 'activity')) * (0.4 + 1.2 * intent) AS activity
            FROM scored
        )
        SELECT *,
            rnd(lead_num, 'converted') < p_convert AS converted,
            greatest(created_us, {window_start_us}) + {DAY_US}
            + CAST(floor(({end_us} - {BIG} - greatest(created_us, {window_start_us}) - {DAY_US})
                         * (0.1 + 0.85 * rnd(lead_num, 'converted.at')) / {BIG}) AS BIGINT)
              * {BIG} AS converted_us,
            CAST(floor({events_per_lead} * activity / avg(activity) OVER ()
                       + rnd(lead_num, 'activity.round')) AS BIGINT) AS n_events
        FROM converted
        ORDER BY lead_num
    """)
    con.execute("DROP TABLE lead_plan_1")
    con.execute("""
        CREATE TABLE lead_plan AS
        SELECT *,
            CAST(coalesce(sum(n_events) OVER (ORDER BY lead_num ROWS BETWEEN UNBOUNDED
                                              PRECEDING AND 1 PRECEDING), 0) AS BIGINT)
                AS ev_start
        FROM lead_plan_2
        ORDER BY lead_num
    """)
    con.execute("DROP TABLE lead_plan_2")


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path,
          row_group_size: int = 122_880) -> int:
    """COPY a query to Parquet and return the number of rows written."""
    result = con.execute(
        f"COPY ({query}) TO {sql_str(str(path))} "
        f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {row_group_size})"
    ).fetchone()
    return int(result[0]) if result else 0


def _cleaned(con: duckdb.DuckDBPyConnection, query: str) -> str:
    """`query` without its rows lacking a lead_id and with NULL for every ''.

    Clean mode's last step: the junk rows of leads and lead_attributes are extra
    copies without lead_id, so dropping them leaves exactly the real population.
    A plain filter and projection, so the row order of `query` is kept.
    """
    columns = [column[0] for column in con.execute(
        f"SELECT * FROM ({query}) LIMIT 0").description]
    projection = ", ".join(f"nullif({name}, '') AS {name}" for name in columns)
    return f"SELECT {projection} FROM ({query}) WHERE lead_id <> ''"


def _leads_query(end_us: int, forced: ForcedPositions) -> str:
    """One row per lead version, plus junk copies without lead_id."""
    f = forced
    # row-level mess is forced on the first version (v = 0), which always exists
    first_row = "v = 0 AND "
    updated_u = forced_u("rk", "updated.fmt", {
        TS_FORCE_U[k]: [r * 8 for r in f[f"updated_{k}"]] for k in TS_FORCE_U})
    created_u = forced_u("lead_num", "created.fmt", {
        TS_FORCE_U[k]: f[f"created_{k}"] for k in TS_FORCE_U})
    return f"""
        WITH versions AS (
            SELECT *, unnest(range(n_versions + CASE WHEN junk_kind > 0 THEN 1 ELSE 0 END)) AS v
            FROM lead_plan
        ), rows AS (
            SELECT *,
                lead_num * 8 + v AS rk,
                least(v, n_versions - 1) AS ve
            FROM versions
        ), state AS (
            SELECT *,
                greatest(0, sen0 - (CASE WHEN ve >= 1 THEN p1 ELSE 0 END
                                    + CASE WHEN ve >= 2 THEN p2 ELSE 0 END
                                    + CASE WHEN ve >= 3 THEN p3 ELSE 0 END)) AS sen,
                job_change_at > 0 AND ve >= job_change_at AS moved,
                industry_change_at > 0 AND ve >= industry_change_at AS reclassified,
                pick(loc_first(loc), u_first) AS first_name,
                pick(loc_first_ascii(loc), u_first) AS first_ascii,
                pick(loc_last(loc), u_last) || pick(loc_suffix(loc), u_first) AS last_name,
                pick(loc_last_ascii(loc), u_last) || pick(loc_suffix_ascii(loc), u_first)
                    AS last_ascii,
                CASE WHEN ve = 0 THEN created_us + CAST(floor(3600 * rnd(rk, 'updated.v0'))
                                                        AS BIGINT) * {BIG}
                     ELSE created_us + CAST(floor(({end_us} - {BIG} - created_us)
                                                  * (ve + rnd(rk, 'updated.v'))
                                                  / n_versions / {BIG}) AS BIGINT) * {BIG}
                END AS updated_us
            FROM rows
        ), company AS (
            SELECT *,
                CASE WHEN moved THEN co1_name ELSE co0_name END AS company_name,
                CASE WHEN moved THEN co1_domain ELSE co0_domain END AS company_domain,
                CASE WHEN reclassified THEN industry_new
                     WHEN moved THEN co1_ind ELSE co0_ind END AS ind,
                CASE WHEN moved THEN co1_emp ELSE co0_emp END AS emp,
                CASE WHEN moved THEN co1_rev ELSE co0_rev END AS rev
            FROM state
        )
        SELECT
            CASE WHEN v < n_versions THEN lead_id WHEN junk_kind = 2 THEN '' END AS lead_id,
            CASE WHEN email_pattern = 0 THEN first_ascii || '.' || last_ascii
                 WHEN email_pattern = 1 THEN first_ascii[1] || last_ascii
                 WHEN email_pattern = 2 THEN first_ascii
                 WHEN email_pattern = 3 THEN first_ascii || '_' || last_ascii
                 ELSE first_ascii || '.' || last_ascii || (lead_num % 100)::VARCHAR
            END
            || '@'
            || CASE WHEN email_pattern = 4
                    THEN pick({sql_list(PERSONAL_DOMAINS)}, rnd(lead_num, 'email.personal'))
                    ELSE company_domain END AS email,
            first_name,
            last_name,
            CASE WHEN rnd(rk, 'title.blank') < 0.004 THEN ''
                 WHEN rnd(rk, 'title.blank') < 0.008 THEN NULL
                 ELSE job_title(sen, dept, u_title) END AS job_title,
            CASE WHEN {first_row}{sql_in('lead_num', f['seniority_mess'])}
                      OR rnd(rk, 'seniority.mess') < 0.01
                 THEN messy(seniority(sen), rnd(rk, 'seniority.mess.kind')
                                            * CASE WHEN v = 0 THEN 0.5 ELSE 1 END)
                 ELSE seniority(sen) END AS seniority,
            department(dept) AS department,
            company_name,
            company_domain,
            CASE WHEN {first_row}{sql_in('lead_num', f['industry_mess'])}
                      OR rnd(rk, 'industry.mess') < 0.01
                 THEN messy(industry(ind), rnd(rk, 'industry.mess.kind')
                                           * CASE WHEN v = 0 THEN 0.5 ELSE 1 END)
                 ELSE industry(ind) END AS industry,
            CASE WHEN {first_row}{sql_in('lead_num', f['employees_empty'])} THEN ''
                 WHEN emp IS NULL THEN CASE WHEN rnd(rk, 'emp.blank') < 0.3 THEN '' END
                 ELSE emp::VARCHAR END AS employee_count,
            CASE WHEN {first_row}{sql_in('lead_num', f['revenue_empty'])} THEN ''
                 WHEN rev IS NULL THEN CASE WHEN rnd(rk, 'rev.blank') < 0.3 THEN '' END
                 ELSE printf('%.2f', rev) END AS annual_revenue,
            CASE WHEN loc = {UNKNOWN_LOCALE} THEN unknown_country_text
                 WHEN {first_row}{sql_in('lead_num', f['country_mess'])}
                      OR rnd(rk, 'country.mess') < 0.01
                 THEN messy(CASE WHEN u_country_form < 0.6 THEN loc_code(loc)
                                 ELSE loc_name(loc) END,
                            rnd(rk, 'country.mess.kind') * CASE WHEN v = 0 THEN 0.5 ELSE 1 END)
                 WHEN u_country_form < 0.6 THEN loc_code(loc)
                 ELSE loc_name(loc) END AS country,
            CASE WHEN loc = {UNKNOWN_LOCALE} THEN CASE WHEN u_city < 0.5 THEN '' END
                 WHEN rnd(rk, 'city.blank') < 0.01 THEN ''
                 ELSE pick(loc_cities(loc), u_city) END AS city,
            lead_source(source) AS lead_source,
            fmt_ts(created_us, {created_u}, loc_tz_min(loc), loc_tz_txt(loc)) AS created_at,
            fmt_ts(updated_us, {updated_u}, loc_tz_min(loc), loc_tz_txt(loc)) AS updated_at,
            CASE WHEN deleted AND ve = n_versions - 1 THEN 'true' ELSE 'false' END AS is_deleted
        FROM company
        ORDER BY lead_num, v
    """


def _attributes_query(end_us: int, forced: ForcedPositions) -> str:
    """Custom CRM properties with 1-3 versions each, plus junk rows without lead_id."""
    f = forced
    # forced timestamp mess goes on newsletter_opt_in version 0 (slot 9)
    ts_u = forced_u("ak", "attr.fmt", {
        TS_FORCE_U[k]: [r * 16 + 9 for r in f[f"attr_ts_{k}"]] for k in TS_FORCE_U})
    forced_leads = f.all()
    presence = sql_list(ATTRIBUTE_PRESENCE)
    return f"""
        WITH slots AS (
            SELECT lead_num, lead_id, intent, created_us, loc,
                CASE WHEN {sql_in('lead_num', f['attr_junk_null'])} THEN 1
                     WHEN {sql_in('lead_num', f['attr_junk_empty'])} THEN 2
                     WHEN rnd(lead_num, 'attr.junk') < 0.004
                     THEN 1 + CAST(rnd(lead_num, 'attr.junk.kind') < 0.5 AS INT)
                     ELSE 0 END AS junk_kind,
                unnest(range(13)) AS slot
            FROM lead_plan
        ), rows AS (
            SELECT *,
                lead_num * 16 + slot AS ak,
                CASE WHEN slot = 12 THEN 0 ELSE slot // 3 END AS attr,
                CASE WHEN slot = 12 THEN 0 ELSE slot % 3 END AS ver,
                pick([1, 1, 2, 2, 3], rnd2(lead_num, CASE WHEN slot = 12 THEN 0
                                                          ELSE slot // 3 END, 'attr.nv')) AS nv,
                {sql_in('lead_num', forced_leads)}
                OR rnd2(lead_num, CASE WHEN slot = 12 THEN 0 ELSE slot // 3 END, 'attr.present')
                   < {presence}[CASE WHEN slot = 12 THEN 0 ELSE slot // 3 END + 1] AS present
            FROM slots
        ), kept AS (
            SELECT *,
                -- final stage 0..2 of the progressive attributes, driven by intent
                CASE WHEN rnd(lead_num, 'budget') < 0.1 + 0.6 * intent THEN 2
                     WHEN rnd(lead_num, 'budget') < 0.45 + 0.3 * intent THEN 1
                     ELSE 0 END AS budget_final,
                CASE WHEN rnd(lead_num, 'trial') < 0.05 + 0.5 * intent
                     THEN 1 + CAST(rnd(lead_num, 'trial.expired') < 0.4 AS INT)
                     ELSE 0 END AS trial_final
            FROM rows
            WHERE present AND ver < nv AND (slot < 12 OR junk_kind > 0)
        )
        SELECT
            CASE WHEN slot < 12 THEN lead_id WHEN junk_kind = 2 THEN '' END AS lead_id,
            {sql_list(ATTRIBUTES)}[attr + 1] AS attribute_name,
            CASE WHEN rnd(ak, 'attr.blank') < 0.005 THEN ''
                 WHEN rnd(ak, 'attr.blank') < 0.008 THEN NULL
                 WHEN attr = 0 THEN ['none', 'planned', 'approved'][
                     greatest(0, budget_final - (nv - 1 - ver)) + 1]
                 WHEN attr = 1 THEN pick({sql_list(TECH_STACKS)}, rnd(ak, 'tech'))
                 WHEN attr = 2 THEN ['none', 'active', 'expired'][
                     greatest(0, trial_final - (nv - 1 - ver)) + 1]
                 ELSE CASE WHEN rnd(ak, 'newsletter') < 0.7 THEN 'true' ELSE 'false' END
            END AS attribute_value,
            fmt_ts(created_us + CAST(floor(({end_us} - {BIG} - created_us)
                                           * (ver + rnd(ak, 'attr.t')) / nv / {BIG})
                                     AS BIGINT) * {BIG},
                   {ts_u}, loc_tz_min(loc), loc_tz_txt(loc)) AS updated_at
        FROM kept
        ORDER BY lead_num, slot
    """


def _events_query(window_start_us: int, end_us: int, forced: ForcedPositions,
                  n_leads: int, plan_path: Path, clean: bool = False) -> str:
    """Streaming events: plan scan -> unnest -> projections (all order preserving).

    The plan is read from a Parquet file with small row groups: every row group is a
    separate batch for DuckDB's order-preserving parallel COPY, so only a few thousand
    leads' events are buffered at a time. With ``clean``, no event is duplicated and
    every event keeps its lead_id.
    """
    return _events_ctes(window_start_us, end_us, forced, plan_path, clean) + f"""
        SELECT
            'evt_' || lpad(e::VARCHAR, 10, '0') AS event_id,
            CASE lead_mess
                 WHEN 1 THEN 'L' || (9999999 - CAST(rnd(e, 'ev.orphan.n') * 1000 AS INT))::VARCHAR
                             || 'x'
                 WHEN 2 THEN printf('L%07d', {n_leads} + 1 + CAST(rnd(e, 'ev.orphan.n') * 500
                                                                 AS INT))
                 WHEN 3 THEN NULL
                 WHEN 4 THEN ''
                 ELSE lead_id END AS lead_id,
            CASE WHEN type_mess THEN messy(event_type, rnd(e, 'ev.type.mess.kind'))
                 ELSE event_type END AS event_type,
            fmt_ts(ts_us + CASE WHEN dup_kind = 2 AND copy_no = 1
                                THEN (1 + CAST(rnd(e, 'ev.dup.shift') * 3600 AS BIGINT)) * {BIG}
                                ELSE 0 END,
                   u_fmt, loc_tz_min(loc), loc_tz_txt(loc)) AS occurred_at,
            CASE WHEN page_path IS NULL AND blank THEN '' ELSE page_path END AS page_path,
            CASE WHEN content_type_clean IS NULL THEN CASE WHEN blank THEN '' END
                 WHEN content_mess_forced
                 THEN messy(content_type_clean, 0.5 * rnd(e, 'ev.ct.mess.kind'))
                 WHEN rnd(e, 'ev.ct.mess') < 0.01
                 THEN messy(content_type_clean, rnd(e, 'ev.ct.mess.kind'))
                 ELSE content_type_clean END AS content_type,
            coalesce(CASE WHEN email_key IS NOT NULL THEN 'cmp_' || email_key END,
                     other_campaign, CASE WHEN blank THEN '' END) AS campaign_id,
            coalesce(CASE WHEN email_key IS NOT NULL THEN 'em_' || email_key END,
                     CASE WHEN blank THEN '' END) AS email_id
        FROM copies
    """


def _unsubscribes_query(window_start_us: int, end_us: int, forced: ForcedPositions,
                        plan_path: Path) -> str:
    """The true (lead, time) of every unsubscribe event, before any mess is applied.

    Re-runs the first steps of the events pipeline (cheap: no text is formatted), so
    that consents can withdraw marketing consent exactly when the lead unsubscribed,
    even where the event row itself lost its lead_id or got an unparseable timestamp.
    """
    return _events_ctes(window_start_us, end_us, forced, plan_path) + """
        SELECT lead_num, e, ts_us FROM timed WHERE event_type = 'unsubscribe'
    """


def _events_ctes(window_start_us: int, end_us: int, forced: ForcedPositions,
                 plan_path: Path, clean: bool = False) -> str:
    """The WITH clause of the events query (per-event decisions, no output columns)."""
    f = forced
    # clean mode: no duplicated event (1 exact copy, 2 copy at another time) and no
    # lead_id mess (1 'L...x', 2 past the last lead, 3 NULL, 4 '')
    dup_kind = "0" if clean else (
        f"CASE WHEN {sql_in('e', f['dup_exact'])} OR rnd(e, 'ev.dup') < 0.006 THEN 1 "
        f"WHEN {sql_in('e', f['dup_changed'])} OR rnd(e, 'ev.dup') < 0.010 THEN 2 ELSE 0 END")
    lead_mess = "0" if clean else (
        f"CASE WHEN {sql_in('e', f['orphan_x'])} THEN 1 "
        f"WHEN {sql_in('e', f['orphan_range'])} THEN 2 "
        f"WHEN {sql_in('e', f['lead_null'])} THEN 3 "
        f"WHEN {sql_in('e', f['lead_empty'])} THEN 4 "
        "ELSE CAST(ceil(rnd(e, 'ev.orphan') / 0.003) AS INT) END")
    type_override = " ".join(
        f"WHEN {sql_in('e', f[f'type_{t}'])} THEN '{t}'" for t in EVENT_TYPES
    )
    ts_u = forced_u("e", "ev.fmt", {TS_FORCE_U[k]: f[f"ts_{k}"] for k in TS_FORCE_U})
    blog = sql_list(BLOG_SLUGS)
    # Event type thresholds as a function of the lead's intent (cumulative).
    probabilities = [
        ("demo_request", "0.0015 + 0.02 * intent * intent"),
        ("webinar_registered", "0.006 + 0.03 * intent"),
        ("webinar_attended", "0.003 + 0.02 * intent"),
        ("support_ticket", "0.006"),
        ("unsubscribe", "0.006 * (1 - intent)"),
        ("form_submit", "0.02"),
        ("content_download", "0.03 + 0.03 * intent"),
        ("email_click", "0.06 + 0.04 * intent"),
        ("email_open", "0.22"),
    ]
    cumulative, whens = [], []
    for name, p in probabilities:
        cumulative.append(f"({p})")
        whens.append(f"WHEN u_type < {' + '.join(cumulative)} THEN '{name}'")
    type_case = "CASE " + " ".join(whens) + " ELSE 'page_view' END"
    return f"""
        WITH lead_events AS (
            SELECT lead_num, lead_id, intent, created_us, loc, converted, converted_us,
                   ev_start, unnest(range(n_events)) AS k
            FROM read_parquet({sql_str(str(plan_path))})
        ), base AS (
            SELECT *,
                ev_start + k AS e,
                rnd(ev_start + k, 'ev.type') AS u_type,
                greatest(created_us, {window_start_us}) + 60 * {BIG} AS lo_us
            FROM lead_events
        ), typed AS (
            SELECT *,
                CASE {type_override}
                     WHEN {sql_in('e', f['content_mess'])} THEN 'content_download'
                     ELSE {type_case} END AS event_type,
                CASE WHEN converted AND converted_us > lo_us AND rnd(e, 'ev.before') < 0.8
                     THEN converted_us ELSE {end_us} - {BIG} END AS hi_us,
                {dup_kind} AS dup_kind,
                {sql_in('e', f['blank_fields'])} OR rnd(e, 'ev.blank') < 0.01 AS blank
            FROM base
        ), timed AS (
            SELECT *,
                lo_us + CAST(floor((hi_us - lo_us) * power(rnd(e, 'ev.t'), 1.3) / {BIG})
                             AS BIGINT) * {BIG} AS ts_us,
                rnd(e, 'ev.sub') AS u_sub,
                rnd(e, 'ev.pick') AS u_pick
            FROM typed
        ), detailed AS (
            SELECT *,
                CASE event_type
                    WHEN 'page_view' THEN CASE
                        WHEN u_sub < 0.04 + 0.22 * intent THEN
                            CASE WHEN u_pick < 0.3 THEN '/pricing/enterprise' ELSE '/pricing' END
                        WHEN u_sub < 0.16 + 0.22 * intent THEN
                            CASE WHEN u_pick < 0.6 THEN '/product' ELSE '/product/features' END
                        WHEN u_sub < 0.46 + 0.22 * intent THEN '/blog/' || pick({blog}, u_pick)
                        WHEN u_sub < 0.47 + 0.22 * intent + 0.08 * (1 - intent) THEN
                            CASE WHEN u_pick < 0.4 THEN '/careers'
                                 ELSE '/careers/' || pick({sql_list(CAREER_SLUGS)}, u_pick) END
                        WHEN u_sub < 0.55 + 0.22 * intent + 0.08 * (1 - intent) THEN
                            '/docs/' || pick({sql_list(DOC_PAGES)}, u_pick)
                        WHEN u_sub < 0.58 + 0.22 * intent + 0.08 * (1 - intent) THEN '/contact'
                        ELSE '/' END
                    WHEN 'email_click' THEN CASE
                        WHEN u_sub < 0.05 + 0.45 * intent THEN '/product-demo'
                        ELSE pick(['/pricing', '/product', '/webinars',
                                   '/blog/' || pick({blog}, rnd(e, 'ev.slug'))], u_pick) END
                    WHEN 'content_download' THEN '/resources/' || replace(
                        CASE WHEN u_sub < 0.1 + 0.5 * intent THEN 'case_study'
                             ELSE pick({sql_list(CONTENT_TYPES[1:])}, u_pick) END, '_', '-')
                    WHEN 'webinar_registered' THEN '/webinars/' || replace(
                        pick({sql_list(WEBINAR_TOPICS)}, u_pick), '_', '-')
                    WHEN 'demo_request' THEN '/demo'
                    WHEN 'form_submit' THEN pick({sql_list(FORM_PATHS)}, u_pick)
                    WHEN 'support_ticket' THEN '/support'
                END AS page_path,
                CASE event_type
                    WHEN 'content_download' THEN
                        CASE WHEN u_sub < 0.1 + 0.5 * intent THEN 'case_study'
                             ELSE pick({sql_list(CONTENT_TYPES[1:])}, u_pick) END
                    WHEN 'support_ticket' THEN
                        CASE WHEN u_sub < 0.1 + 0.5 * intent THEN 'sales_inquiry'
                             ELSE pick({sql_list(SUPPORT_TYPES[1:])}, u_pick) END
                END AS content_type_clean,
                CASE WHEN event_type IN ('email_open', 'email_click', 'unsubscribe')
                     THEN CASE WHEN rnd(e, 'ev.launch') < 0.06 THEN 'product_launch'
                               ELSE strftime(make_timestamp(ts_us), '%Y_%m') || '_'
                                    || pick({sql_list(EMAIL_NAMES)}, rnd(e, 'ev.email')) END
                END AS email_key,
                CASE WHEN event_type IN ('webinar_registered', 'webinar_attended')
                     THEN 'wbn_' || strftime(make_timestamp(ts_us), '%Y_%m') || '_'
                          || pick({sql_list(WEBINAR_TOPICS)}, u_pick)
                     WHEN event_type = 'page_view' AND rnd(e, 'ev.utm') < 0.08
                     THEN pick(['cmp_gads_brand', 'cmp_gads_generic', 'cmp_linkedin_abm',
                                'cmp_partner_referral'], rnd(e, 'ev.utm.kind'))
                END AS other_campaign
            FROM timed
        ), copies AS (
            SELECT *,
                unnest(range(CASE WHEN dup_kind > 0 THEN 2 ELSE 1 END)) AS copy_no,
                {ts_u} AS u_fmt,
                {lead_mess} AS lead_mess,
                {sql_in('e', f['type_mess'])} OR rnd(e, 'ev.type.mess') < 0.01 AS type_mess,
                {sql_in('e', f['content_mess'])} AS content_mess_forced
            FROM detailed
        )
    """


def _outcomes_query() -> str:
    return """
        SELECT lead_id,
               CASE WHEN converted THEN 'true' ELSE 'false' END AS is_converted,
               CASE WHEN converted THEN clean_ts(converted_us) ELSE '' END AS converted_at
        FROM lead_plan
        ORDER BY lead_num
    """


# --------------------------------------------------------------------------------------
# CRM tables
# --------------------------------------------------------------------------------------

# Kinds of CRM mess forced onto distinct leads (see ForcedPositions); every kind also
# occurs at random. Deal kinds make sure the lead has the deal the mess needs.
CRM_FORCED_KINDS = (
    # erasure_requests first (ForcedPositions serves kinds in order; n may be tiny):
    # leads with a request (plus the forced deleted lead), a junk request without lead_id
    "era_plain", "era_ts_bad", "era_offset", "era_junk",
    # opportunities: a lost and an open deal exist; row mess on the lead's deal
    "opp_lost", "opp_open", "opp_stage_mess", "opp_amount_na", "opp_currency_mess",
    "opp_bool_spelling", "opp_offset", "opp_zulu", "opp_updated_empty",
    "opp_created_bad", "opp_updated_bad", "opp_closed_bad", "opp_closed_before_created",
    # opportunities: an extra deal with a broken lead_id / without opportunity_id
    "opp_lead_null", "opp_lead_empty", "opp_lead_x", "opp_lead_range", "opp_id_missing",
    # sales_activities: mess on the lead's first touch outside any deal
    "act_lead_null", "act_lead_empty", "act_lead_x", "act_lead_range",
    "act_type_mess", "act_type_empty", "act_outcome_mess",
    "act_ts_not_a_date", "act_ts_day_first", "act_ts_offset", "act_ts_zulu",
    "act_dup_exact", "act_dup_changed",
    # consents: mess on the lead's first marketing row, or extra junk rows
    "con_status_maybe", "con_status_mess", "con_purpose_mess",
    "con_ts_feb_30", "con_ts_not_a_date", "con_ts_offset", "con_ts_zulu",
    "con_lead_null", "con_lead_empty", "con_lead_x", "con_lead_range",
)
# Lead-id mess of extra CRM rows: 1 NULL, 2 '', 3 'L9999xyzx', 4 a number past the
# last lead, (opportunities only) 5 a real lead but no opportunity_id.
JUNK_KINDS = ("lead_null", "lead_empty", "lead_x", "lead_range")
CAMPAIGN_FORCED_KINDS = ("channel_mess", "market_mess", "spend_na", "ts_offset",
                         "ts_zulu", "ts_bad")


def _create_crm_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Lookups and formatters used only by the CRM tables."""
    currencies = [COUNTRY_CURRENCIES.get(loc.code, "USD") for loc in LOCALES]
    ok_lo = TS_EMPTY  # u below this gives unparseable or empty timestamps
    statements = [
        f"CREATE MACRO loc_market(_i) AS {sql_list(loc.market for loc in LOCALES)}[_i]",
        f"CREATE MACRO loc_currency(_i) AS {sql_list(currencies)}[_i]",
        (f"CREATE MACRO usd_rate(_c) AS {sql_list(UNITS_PER_USD.values())}"
         f"[list_position({sql_list(UNITS_PER_USD)}, _c)]"),
        (f"CREATE MACRO market_currency(_m) AS {sql_list(MARKET_CURRENCIES.values())}"
         f"[list_position({sql_list(MARKET_CURRENCIES)}, _m)]"),
        # an amount in a currency, rounded like a sales rep would (100s or 1000s)
        ("CREATE MACRO local_amount(_usd, _c) AS printf('%.2f', round(_usd * usd_rate(_c), "
         "CASE WHEN usd_rate(_c) > 50 THEN -3 ELSE -2 END))"),
        # u for fmt_ts that never gives an unparseable or empty timestamp
        f"CREATE MACRO ok_u(_u) AS {ok_lo} + _u * {1 - ok_lo}",
        # u for fmt_ts that gives 'not a date' instead of '' (empty has a meaning)
        (f"CREATE MACRO no_empty_u(_u) AS CASE WHEN _u >= {TS_DAY_FIRST} AND _u < {TS_EMPTY} "
         f"THEN _u - {TS_DAY_FIRST} ELSE _u END"),
        # 'true'/'false', about 1.5% in another accepted spelling
        ("CREATE MACRO bool_txt(_b, _u) AS CASE "
         "WHEN _u < 0.985 THEN CASE WHEN _b THEN 'true' ELSE 'false' END "
         f"WHEN _b THEN pick({sql_list(TRUE_SPELLINGS)}, (_u - 0.985) / 0.015) "
         f"ELSE pick({sql_list(FALSE_SPELLINGS)}, (_u - 0.985) / 0.015) END"),
        f"CREATE MACRO rep_id(_u) AS printf('U%03d', 1 + CAST(floor(_u * {N_REPS}) AS INT))",
        # lead_id of a junk row (kinds of JUNK_KINDS, 1-based); _id for any other kind
        ("CREATE MACRO junk_lead_id(_kind, _id, _u, _n_leads) AS CASE _kind "
         "WHEN 1 THEN NULL WHEN 2 THEN '' "
         "WHEN 3 THEN 'L' || (9999999 - CAST(_u * 1000 AS INT))::VARCHAR || 'x' "
         "WHEN 4 THEN printf('L%07d', _n_leads + 1 + CAST(_u * 500 AS INT)) "
         "ELSE _id END"),
    ]
    for statement in statements:
        con.execute(statement)


def _junk_kind(key: str, salt: str, forced: ForcedPositions, prefix: str,
               rate: float) -> str:
    """1-4 (JUNK_KINDS) for forced or random junk rows, else 0."""
    whens = " ".join(f"WHEN {sql_in(key, forced[f'{prefix}_{kind}'])} THEN {i}"
                     for i, kind in enumerate(JUNK_KINDS, start=1))
    return (f"CASE {whens} WHEN rnd({key}, '{salt}') < {rate} "
            f"THEN 1 + CAST(floor(4 * rnd({key}, '{salt}.kind')) AS INT) ELSE 0 END")


def _create_deals(con: duckdb.DuckDBPyConnection, n_companies: int, end_us: int,
                  forced: ForcedPositions) -> None:
    """One row per deal (opportunity), with its true dates; versions come later.

    d = 0: the lead's main deal: won for every converted lead (created between the
    lead's creation and its conversion, closed at converted_at), else lost or open
    for some leads, more often with high intent and fit; d = 1: an earlier lost deal
    of some leads with a main deal; d = 2: a junk deal (broken lead_id or no id).
    """
    f = forced
    last_us = end_us - BIG
    needs_lost = (f["opp_lost"] + f["opp_created_bad"] + f["opp_updated_bad"]
                  + f["opp_closed_bad"] + f["opp_closed_before_created"])
    any_deal = needs_lost + f["opp_open"] + [
        k for kind in ("stage_mess", "amount_na", "currency_mess", "bool_spelling", "offset",
                       "zulu", "updated_empty") for k in f[f"opp_{kind}"]]
    junk = _junk_kind("lead_num", "opp.junk", f, "opp", 0.003)
    con.execute(f"""
        CREATE TABLE deals AS
        WITH leads AS (
            SELECT lead_num, lead_id, intent, fit, loc, created_us AS c, converted,
                   converted_us, emp_last, co0 >= {n_companies} AS competitor,
                   {sql_in('lead_num', needs_lost)} AS needs_lost,
                   {sql_in('lead_num', f['opp_open'])} AS needs_open,
                   {sql_in('lead_num', any_deal)} AS forced_deal,
                   CASE WHEN {sql_in('lead_num', f['opp_id_missing'])} THEN 5
                        ELSE {junk} END AS junk_kind
            FROM lead_plan
        ), decided AS (
            SELECT *,
                converted OR forced_deal
                    OR rnd(lead_num, 'opp') < 0.005 + 0.25 * intent + 0.08 * fit AS has_deal,
                CASE WHEN converted THEN 'won'
                     WHEN needs_lost THEN 'lost'
                     WHEN needs_open THEN 'open'
                     WHEN rnd(lead_num, 'opp.state') < 0.6 THEN 'lost'
                     ELSE 'open' END AS state0,
                rnd(lead_num, 'opp.created') AS u_created,
                rnd(lead_num, 'opp.closed') AS u_closed
            FROM leads
        ), timed AS (
            SELECT *,
                c + CAST(floor(CASE state0
                    WHEN 'won' THEN (converted_us - c) * (0.15 + 0.7 * u_created)
                    WHEN 'lost' THEN ({last_us} - c) * (0.05 + 0.6 * u_created)
                    ELSE ({last_us} - c) * (0.55 + 0.4 * u_created) END / {BIG}) AS BIGINT)
                  * {BIG} AS created0
            FROM decided
        ), all_deals AS (
            SELECT lead_num, lead_id, intent, loc, c, emp_last, needs_lost, converted,
                   0 AS d, 0 AS junk_kind, state0 AS state, created0 AS created_us,
                   CASE state0
                       WHEN 'won' THEN converted_us
                       WHEN 'lost' THEN created0 + CAST(floor(({last_us} - created0)
                                                              * (0.1 + 0.5 * u_closed)
                                                              / {BIG}) AS BIGINT) * {BIG}
                   END AS closed_us
            FROM timed WHERE has_deal
            UNION ALL
            SELECT lead_num, lead_id, intent, loc, c, emp_last, needs_lost, converted,
                   1 AS d, 0 AS junk_kind, 'lost' AS state,
                   c + CAST(floor((created0 - c) * (0.05 + 0.3 * rnd(lead_num, 'opp.prev.c'))
                                  / {BIG}) AS BIGINT) * {BIG} AS created_us,
                   c + CAST(floor((created0 - c) * (0.4 + 0.55 * rnd(lead_num, 'opp.prev.x'))
                                  / {BIG}) AS BIGINT) * {BIG} AS closed_us
            FROM timed
            WHERE has_deal AND (rnd(lead_num, 'opp.prev') < 0.08 OR (converted AND needs_lost))
            UNION ALL
            SELECT lead_num, lead_id, intent, loc, c, emp_last, FALSE, converted,
                   2 AS d, junk_kind,
                   CASE WHEN junk_kind < 5 AND rnd(lead_num, 'opp.junk.state') < 0.3 THEN 'won'
                        WHEN rnd(lead_num, 'opp.junk.state') < 0.7 THEN 'lost'
                        ELSE 'open' END AS state,
                   c + CAST(floor(({last_us} - c) * (0.1 + 0.6 * u_created) / {BIG}) AS BIGINT)
                     * {BIG} AS created_us,
                   NULL AS closed_us
            FROM timed WHERE junk_kind > 0
        )
        SELECT *,
            lead_num * 4 + d AS dk,
            row_number() OVER (ORDER BY lead_num, d) AS deal_no,
            CASE WHEN state <> 'open' THEN pick([1, 2, 2, 3, 3], rnd(lead_num * 4 + d, 'opp.nv'))
                 ELSE pick([1, 1, 2, 3], rnd(lead_num * 4 + d, 'opp.nv')) END AS nv,
            -- deal size in USD: log-normal, larger for larger companies, 5k..150k
            least({DEAL_USD_MAX}, greatest({DEAL_USD_MIN},
                  22000 * exp(0.75 * normal(lead_num * 4 + d, 'opp.amount'))
                  * CASE WHEN emp_last > 500 THEN 1.6 WHEN emp_last < 50 THEN 0.6 ELSE 1 END))
                AS usd,
            -- the lost deal of a forced lead is d = 1 when its main deal was won
            needs_lost AND d = CASE WHEN converted THEN 1 ELSE 0 END AS forced_lost_deal
        FROM (
            SELECT * REPLACE (
                CASE WHEN d = 2 AND state <> 'open'
                     THEN created_us + CAST(floor(({last_us} - created_us)
                                                  * (0.1 + 0.5 * rnd(lead_num, 'opp.junk.x'))
                                                  / {BIG}) AS BIGINT) * {BIG}
                     ELSE closed_us END AS closed_us)
            FROM all_deals
        )
        ORDER BY lead_num, d
    """)


def _opportunities_query(end_us: int, n_leads: int, forced: ForcedPositions) -> str:
    """One row per version of every deal (a change feed), ordered by lead and deal."""
    f = forced
    last_us = end_us - BIG
    lead_in = lambda kind: sql_in("lead_num", f[kind])  # noqa: E731
    main_row = "d = 0 AND v = 0 AND "
    lost_row = "forced_lost_deal AND "
    ts_forced = (f"CASE WHEN d = 0 AND {lead_in('opp_offset')} THEN {TS_FORCE_U['offset']} "
                 f"WHEN d = 0 AND {lead_in('opp_zulu')} THEN {TS_FORCE_U['zulu']}")
    return f"""
        WITH versions AS (
            SELECT *, unnest(range(nv)) AS v FROM deals
        ), rows AS (
            SELECT *,
                dk * 4 + v AS rk,
                v = nv - 1 AS is_final,
                state <> 'open' AS closed,
                CAST(floor(rnd(dk, 'opp.stage') * CASE WHEN state <> 'open' THEN 5 - nv
                                                       ELSE 4 - nv END) AS INT) AS stage_start
            FROM versions
        ), dated AS (
            SELECT *,
                CASE WHEN is_final AND closed
                     THEN least({last_us}, greatest(closed_us, created_us)
                                + CAST(floor(600 * rnd(rk, 'opp.upd')) AS BIGINT) * {BIG})
                     WHEN v = 0 THEN created_us
                     ELSE created_us + CAST(floor((coalesce(closed_us, {last_us}) - created_us)
                                                  * (v + 0.9 * rnd(rk, 'opp.upd'))
                                                  / CASE WHEN closed THEN nv - 1 ELSE nv END
                                                  / {BIG}) AS BIGINT) * {BIG}
                END AS updated_us,
                CASE WHEN is_final AND state = 'won' THEN 'closed_won'
                     WHEN is_final AND state = 'lost' THEN 'closed_lost'
                     ELSE {sql_list(OPEN_STAGES)}[v + stage_start + 1] END AS stage_clean,
                -- odd data seen in real exports: a deal closed before it was created
                is_final AND state = 'lost'
                    AND ({lost_row}{lead_in('opp_closed_before_created')}
                         OR rnd(dk, 'opp.swap') < 0.004) AS closed_early,
                loc_currency(loc) AS currency_clean,
                {ts_forced} ELSE NULL END AS u_forced
            FROM rows
        )
        SELECT
            CASE WHEN junk_kind = 5 THEN '' ELSE 'OPP' || lpad(deal_no::VARCHAR, 7, '0') END
                AS opportunity_id,
            junk_lead_id(junk_kind, lead_id, rnd(dk, 'opp.junk.n'), {n_leads}) AS lead_id,
            CASE WHEN {main_row}{lead_in('opp_stage_mess')}
                 THEN messy(stage_clean, 0.5 * rnd(rk, 'opp.stage.mess.kind'))
                 WHEN rnd(rk, 'opp.stage.mess') < 0.015
                 THEN messy(stage_clean, rnd(rk, 'opp.stage.mess.kind'))
                 ELSE stage_clean END AS stage,
            CASE WHEN d = 0 AND is_final AND {lead_in('opp_amount_na')} THEN 'n/a'
                 WHEN rnd(rk, 'opp.amount.na') < 0.004 THEN 'n/a'
                 WHEN v = 0 AND NOT is_final AND rnd(rk, 'opp.amount.blank') < 0.35 THEN ''
                 ELSE local_amount(least({DEAL_USD_MAX}, greatest({DEAL_USD_MIN}, usd * CASE
                     WHEN is_final AND state = 'won' THEN 0.85 + 0.15 * rnd(dk, 'opp.discount')
                     WHEN v > 0 THEN 0.95 + 0.1 * rnd(rk, 'opp.drift')
                     ELSE 1 END)), currency_clean) END AS amount,
            CASE WHEN {main_row}{lead_in('opp_currency_mess')}
                 THEN messy(lower(currency_clean), 0.5 * rnd(rk, 'opp.cur.mess.kind'))
                 WHEN rnd(rk, 'opp.cur.mess') < 0.005
                 THEN messy(lower(currency_clean), rnd(rk, 'opp.cur.mess.kind'))
                 ELSE currency_clean END AS currency,
            CASE WHEN v = 0 AND {lost_row}{lead_in('opp_created_bad')} THEN 'not a date'
                 ELSE fmt_ts(created_us, coalesce(u_forced, rnd(rk, 'opp.created.fmt')),
                             loc_tz_min(loc), loc_tz_txt(loc)) END AS created_at,
            CASE WHEN NOT (is_final AND closed) THEN ''
                 WHEN {lost_row}{lead_in('opp_closed_bad')}
                 THEN fmt_ts(closed_us, {TS_FORCE_U['day_first']}, 0, '')
                 WHEN closed_early
                 THEN fmt_ts(created_us - (1 + CAST(floor(20 * rnd(dk, 'opp.swap.days'))
                                                    AS BIGINT)) * {DAY_US},
                             coalesce(u_forced, ok_u(rnd(rk, 'opp.closed.fmt'))),
                             loc_tz_min(loc), loc_tz_txt(loc))
                 ELSE fmt_ts(closed_us,
                             coalesce(u_forced,
                                      CASE WHEN state = 'won'
                                           THEN ok_u(rnd(rk, 'opp.closed.fmt'))
                                           ELSE rnd(rk, 'opp.closed.fmt') END),
                             loc_tz_min(loc), loc_tz_txt(loc)) END AS closed_at,
            bool_txt(is_final AND state = 'won',
                     CASE WHEN {main_row}{lead_in('opp_bool_spelling')} THEN 0.99
                          ELSE rnd(rk, 'opp.won.txt') END) AS is_won,
            bool_txt(is_final AND closed,
                     CASE WHEN {main_row}{lead_in('opp_bool_spelling')} THEN 0.995
                          ELSE rnd(rk, 'opp.closed.txt') END) AS is_closed,
            CASE WHEN v = 0 AND ({main_row}{lead_in('opp_updated_empty')}
                                 OR rnd(rk, 'opp.upd.empty') < 0.03) THEN ''
                 WHEN is_final AND {lost_row}{lead_in('opp_updated_bad')}
                 THEN fmt_ts(updated_us, {TS_FORCE_U['feb_30']}, 0, '')
                 ELSE fmt_ts(updated_us,
                             coalesce(u_forced,
                                      CASE WHEN state = 'won' THEN ok_u(rnd(rk, 'opp.upd.fmt'))
                                           ELSE no_empty_u(rnd(rk, 'opp.upd.fmt')) END),
                             loc_tz_min(loc), loc_tz_txt(loc)) END AS updated_at
        FROM dated
        ORDER BY lead_num, d, v
    """


def _activities_query(end_us: int, n_leads: int, forced: ForcedPositions) -> str:
    """Sales touches: several per deal (a held meeting inside every deal), a few on
    other leads (more with high intent); all after the lead's creation."""
    f = forced
    last_us = end_us - BIG
    lead_in = lambda kind: sql_in("lead_num", f[kind])  # noqa: E731
    forced_leads = sorted(k for kind in CRM_FORCED_KINDS if kind.startswith("act_")
                          for k in f[kind])
    # forced mess goes on the first touch outside deals (g = 3, k = 0)
    first = "g = 3 AND k = 0 AND "
    junk = " ".join([
        "CASE",
        *(f"WHEN {first}{lead_in(f'act_{kind}')} THEN {i}"
          for i, kind in enumerate(JUNK_KINDS, start=1)),
        "WHEN NOT key_touch AND rnd(ak, 'act.junk') < 0.003",
        "THEN 1 + CAST(floor(4 * rnd(ak, 'act.junk.kind')) AS INT) ELSE 0 END",
    ])
    ts_u = " ".join([
        "CASE",
        *(f"WHEN {first}{lead_in(f'act_ts_{kind}')} THEN {TS_FORCE_U[kind]}"
          for kind in ("not_a_date", "day_first", "offset", "zulu")),
        "WHEN key_touch THEN ok_u(rnd(ak, 'act.fmt')) ELSE rnd(ak, 'act.fmt') END",
    ])
    type_weights = weighted_slots(ACTIVITY_TYPE_WEIGHTS)
    return f"""
        WITH groups AS (
            SELECT lead_num, lead_id, loc, intent, c, d AS g, created_us, closed_us,
                   3 + CAST(floor(5 * rnd(dk, 'act.n')) AS INT) AS n,
                   greatest(c + 60 * {BIG}, created_us - 21 * {DAY_US}) AS lo_us,
                   least(coalesce(closed_us, {last_us}) + 7 * {DAY_US}, {last_us}) AS hi_us
            FROM deals WHERE d < 2
            UNION ALL
            SELECT lead_num, lead_id, loc, intent, created_us, 3, NULL, NULL,
                   CASE WHEN {sql_in('lead_num', forced_leads)}
                          OR rnd(lead_num, 'act.any') < 0.08 + 0.45 * intent
                        THEN 1 + CAST(floor(4 * rnd(lead_num, 'act.other.n')) AS INT)
                        ELSE 0 END,
                   created_us + 60 * {BIG}, {last_us}
            FROM lead_plan
        ), touches AS (
            SELECT *,
                unnest(range(n)) AS k
            FROM groups
        ), decided AS (
            SELECT *,
                lead_num * 64 + g * 16 + k AS ak,
                g < 3 AND k = 0 AS key_touch
            FROM touches
        ), typed AS (
            SELECT *,
                CASE WHEN key_touch THEN 'meeting'
                     ELSE {sql_list(ACTIVITY_TYPES)}[pick({type_weights}, rnd(ak, 'act.type'))]
                END AS type_clean,
                CASE WHEN key_touch
                     -- the meeting of a deal is held while the deal is open
                     THEN created_us + CAST(floor((coalesce(closed_us, {last_us}) - created_us)
                                                  * (0.05 + 0.85 * rnd(ak, 'act.t')) / {BIG})
                                            AS BIGINT) * {BIG}
                     ELSE lo_us + CAST(floor(greatest(0, hi_us - lo_us) * rnd(ak, 'act.t')
                                             / {BIG}) AS BIGINT) * {BIG}
                END AS ts_us,
                rnd(ak, 'act.outcome') AS u_out,
                {junk} AS junk_kind,
                CASE WHEN {first}{lead_in('act_dup_exact')} THEN 1
                     WHEN {first}{lead_in('act_dup_changed')} THEN 2
                     WHEN NOT key_touch AND rnd(ak, 'act.dup') < 0.003 THEN 1
                     WHEN NOT key_touch AND rnd(ak, 'act.dup') < 0.006 THEN 2
                     ELSE 0 END AS dup_kind
            FROM decided
        ), outcomes AS (
            SELECT *,
                CASE type_clean
                    WHEN 'call' THEN CASE WHEN u_out < 0.35 THEN 'connected'
                                          WHEN u_out < 0.75 THEN 'no_answer'
                                          ELSE 'voicemail' END
                    WHEN 'email' THEN CASE WHEN u_out < 0.15 + 0.4 * intent THEN 'replied'
                                           ELSE '' END
                    ELSE CASE WHEN key_touch OR u_out < 0.85 THEN 'held' ELSE 'no_show' END
                END AS outcome_clean,
                row_number() OVER (ORDER BY lead_num, ts_us, ak) AS act_no
            FROM typed
        ), copies AS (
            SELECT *, unnest(range(CASE WHEN dup_kind > 0 THEN 2 ELSE 1 END)) AS copy_no
            FROM outcomes
        )
        SELECT
            'ACT' || lpad(act_no::VARCHAR, 8, '0') AS activity_id,
            junk_lead_id(junk_kind, lead_id, rnd(ak, 'act.junk.n'), {n_leads}) AS lead_id,
            CASE WHEN {first}{lead_in('act_type_empty')}
                      OR (NOT key_touch AND rnd(ak, 'act.type.empty') < 0.002) THEN ''
                 WHEN {first}{lead_in('act_type_mess')}
                 THEN messy(type_clean, 0.5 * rnd(ak, 'act.type.mess.kind'))
                 WHEN rnd(ak, 'act.type.mess') < 0.015
                 THEN messy(type_clean, rnd(ak, 'act.type.mess.kind'))
                 ELSE type_clean END AS activity_type,
            CASE WHEN dup_kind = 2 AND copy_no = 1 AND type_clean = 'call'
                 THEN CASE WHEN outcome_clean = 'connected' THEN 'voicemail' ELSE 'connected' END
                 WHEN outcome_clean = '' THEN ''
                 WHEN {first}{lead_in('act_outcome_mess')}
                 THEN messy(outcome_clean, 0.5 * rnd(ak, 'act.out.mess.kind'))
                 WHEN rnd(ak, 'act.out.mess') < 0.01
                 THEN messy(outcome_clean, rnd(ak, 'act.out.mess.kind'))
                 ELSE outcome_clean END AS outcome,
            CASE WHEN rnd(ak, 'act.owner.other') < 0.15 THEN rep_id(rnd(ak, 'act.owner'))
                 ELSE rep_id(rnd(lead_num, 'act.owner')) END AS owner_id,
            fmt_ts(ts_us + CASE WHEN dup_kind = 2 AND copy_no = 1
                                THEN (60 + CAST(floor(3600 * rnd(ak, 'act.dup.shift'))
                                                AS BIGINT)) * {BIG}
                                ELSE 0 END,
                   {ts_u}, loc_tz_min(loc), loc_tz_txt(loc)) AS occurred_at
        FROM copies
        ORDER BY act_no, copy_no
    """


def _consents_query(end_us: int, n_leads: int, forced: ForcedPositions) -> str:
    """Consent events: a marketing grant at creation for most leads (more often in
    emea), a withdrawal at every unsubscribe, a few later re-grants, some analytics
    consents, and junk rows."""
    f = forced
    last_us = end_us - BIG
    lead_in = lambda kind: sql_in("lead_num", f[kind])  # noqa: E731
    forced_leads = sorted(k for kind in CRM_FORCED_KINDS if kind.startswith("con_")
                          for k in f[kind])
    junk = _junk_kind("lead_num", "con.junk", f, "con", 0.003)
    first = "slot = 0 AND "
    ts_u = " ".join([
        "CASE",
        *(f"WHEN {first}{lead_in(f'con_ts_{kind}')} THEN {TS_FORCE_U[kind]}"
          for kind in ("feb_30", "not_a_date", "offset", "zulu")),
        # withdrawals and re-grants always carry a usable time
        "WHEN slot IN (1, 2) THEN ok_u(rnd2(lead_num, slot * 1000000 + j, 'con.fmt'))",
        "ELSE rnd2(lead_num, slot * 1000000 + j, 'con.fmt') END",
    ])
    return f"""
        WITH leads AS (
            SELECT lead_num, lead_id, loc, created_us AS c, {junk} AS junk_kind
            FROM lead_plan
        ), last_unsubscribe AS (
            SELECT lead_num, max(ts_us) AS last_us FROM unsubscribes GROUP BY lead_num
        ), regrant_candidates AS (
            SELECT * FROM last_unsubscribe WHERE last_us + 2 * {DAY_US} < {last_us}
        ), regrants AS (
            SELECT lead_num,
                last_us + {DAY_US} + CAST(floor(({last_us} - last_us - {DAY_US})
                                                * 0.8 * rnd(lead_num, 'con.regrant.t')
                                                / {BIG}) AS BIGINT) * {BIG} AS ts_us
            FROM regrant_candidates
            WHERE rnd(lead_num, 'con.regrant') < 0.2
               OR lead_num = (SELECT lead_num FROM regrant_candidates
                              ORDER BY rnd(lead_num, 'con.regrant.force'), lead_num LIMIT 1)
        ), analytics AS (
            SELECT * FROM leads WHERE rnd(lead_num, 'con.analytics') < 0.2
        ), rows AS (
            -- slot 0: marketing granted when the lead was created (before any event)
            SELECT lead_num, 0 AS slot, 0 AS j, 'marketing' AS purpose, 'granted' AS status,
                   c + CAST(floor(59 * rnd(lead_num, 'con.t0')) AS BIGINT) * {BIG} AS ts_us
            FROM leads
            WHERE {sql_in('lead_num', forced_leads)}
               OR rnd(lead_num, 'con.marketing') < CASE WHEN loc_market(loc) = 'emea'
                                                        THEN 0.92 ELSE 0.65 END
            UNION ALL
            -- slot 1: marketing withdrawn at every unsubscribe
            SELECT lead_num, 1, row_number() OVER (PARTITION BY lead_num ORDER BY ts_us, e),
                   'marketing', 'withdrawn', ts_us
            FROM unsubscribes
            UNION ALL
            SELECT lead_num, 2, 0, 'marketing', 'granted', ts_us FROM regrants
            UNION ALL
            SELECT lead_num, 3, 0, 'analytics', 'granted',
                   c + CAST(floor(300 * rnd(lead_num, 'con.analytics.t')) AS BIGINT) * {BIG}
            FROM analytics
            UNION ALL
            SELECT lead_num, 4, 0, 'analytics', 'withdrawn',
                   c + CAST(floor(({last_us} - c) * (0.2 + 0.7 * rnd(lead_num, 'con.an.w.t'))
                                  / {BIG}) AS BIGINT) * {BIG}
            FROM analytics WHERE rnd(lead_num, 'con.analytics.withdrawn') < 0.15
            UNION ALL
            -- slot 5: junk rows (broken lead_id)
            SELECT lead_num, 5, 0, 'marketing', 'granted',
                   c + CAST(floor(({last_us} - c) * rnd(lead_num, 'con.junk.t') / {BIG})
                             AS BIGINT) * {BIG}
            FROM leads WHERE junk_kind > 0
        ), joined AS (
            SELECT r.*, l.lead_id, l.loc, l.junk_kind,
                   rnd2(r.lead_num, r.slot * 1000000 + r.j, 'con.row') AS u_row
            FROM rows r JOIN leads l USING (lead_num)
        )
        SELECT
            CASE WHEN slot = 5
                 THEN junk_lead_id(junk_kind, lead_id, rnd(lead_num, 'con.junk.n'), {n_leads})
                 ELSE lead_id END AS lead_id,
            CASE WHEN {first}{lead_in('con_purpose_mess')}
                 THEN messy(purpose, 0.5 * rnd(lead_num, 'con.purpose.mess.kind'))
                 WHEN u_row < 0.01
                 THEN messy(purpose, rnd2(lead_num, slot * 1000000 + j, 'con.purpose.kind'))
                 ELSE purpose END AS purpose,
            CASE WHEN {first}({lead_in('con_status_maybe')}
                              OR rnd(lead_num, 'con.maybe') < 0.003) THEN 'maybe'
                 WHEN {first}{lead_in('con_status_mess')}
                 THEN messy(status, 0.5 + 0.3 * rnd(lead_num, 'con.status.mess.kind'))
                 WHEN u_row > 0.985
                 THEN messy(status, rnd2(lead_num, slot * 1000000 + j, 'con.status.kind'))
                 ELSE status END AS status,
            fmt_ts(ts_us, {ts_u}, loc_tz_min(loc), loc_tz_txt(loc)) AS recorded_at
        FROM joined
        ORDER BY lead_num, ts_us, slot, j
    """


def _erasures_query(end_us: int, forced: ForcedPositions,
                    deleted_forced: Sequence[int]) -> str:
    """Erasure requests of about 0.5% of leads (deleted leads more often), after the
    lead's creation; plus a junk request without lead_id."""
    f = forced
    last_us = end_us - BIG
    requested = sorted({*f["era_plain"], *f["era_ts_bad"], *f["era_offset"], *deleted_forced})
    return f"""
        WITH requests AS (
            SELECT lead_num, lead_id, loc, 0 AS junk,
                   created_us + CAST(floor(({last_us} - created_us)
                                           * (0.3 + 0.65 * rnd(lead_num, 'era.t')) / {BIG})
                                     AS BIGINT) * {BIG} AS ts_us
            FROM lead_plan
            WHERE {sql_in('lead_num', requested)}
               OR rnd(lead_num, 'era') < 0.003 + 0.08 * CAST(deleted AS INT)
            UNION ALL
            SELECT lead_num, '', loc, 1,
                   created_us + CAST(floor(({last_us} - created_us) * rnd(lead_num, 'era.junk.t')
                                           / {BIG}) AS BIGINT) * {BIG}
            FROM lead_plan WHERE {sql_in('lead_num', f['era_junk'])}
        )
        SELECT
            lead_id,
            CASE WHEN junk = 0 AND {sql_in('lead_num', f['era_ts_bad'])} THEN 'not a date'
                 ELSE fmt_ts(ts_us,
                             CASE WHEN junk = 0 AND {sql_in('lead_num', f['era_offset'])}
                                  THEN {TS_FORCE_U['offset']}
                                  ELSE rnd2(lead_num, junk, 'era.fmt') END,
                             loc_tz_min(loc), loc_tz_txt(loc)) END AS requested_at
        FROM requests
        ORDER BY lead_num, junk
    """


def _quarters(start: date, end: date) -> list[date]:
    """First days of the quarters that overlap start..end."""
    day = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    quarters = []
    while day <= end:
        quarters.append(day)
        day = date(day.year + day.month // 10, (day.month + 2) % 12 + 1, 1)
    return quarters


def _create_campaign_base(con: duckdb.DuckDBPyConnection, events_path: Path,
                          window_start: date, end_date: date) -> int:
    """Every campaign_id of the events (plus quarterly events and content syndication
    without tracked events), with channel and true dates; returns the count."""
    window_start_us, end_us = epoch_us(window_start), epoch_us(end_date + timedelta(days=1))
    extras = []
    for quarter in _quarters(window_start, end_date):
        q = f"{quarter.year}_q{(quarter.month - 1) // 3 + 1}"
        next_q = date(quarter.year + quarter.month // 10, (quarter.month + 2) % 12 + 1, 1)
        roadshow = epoch_us(quarter + timedelta(days=20))
        extras.append(f"('evt_{q}_roadshow', 'event', {roadshow}, {roadshow + 2 * DAY_US})")
        extras.append(f"('cnt_{q}_syndication', 'content', {epoch_us(quarter)}, "
                      f"{epoch_us(next_q) - BIG})")
    always_on = f"{window_start_us} - (30 + CAST(floor(60 * rnd(campaign_id, 'cmp.start'))" \
                f" AS BIGINT)) * {DAY_US}"
    con.execute(f"""
        CREATE TABLE campaign_base AS
        WITH tracked AS (
            SELECT DISTINCT campaign_id
            FROM read_parquet({sql_str(str(events_path))})
            WHERE campaign_id <> ''
        ), parsed AS (
            SELECT campaign_id,
                CASE WHEN campaign_id LIKE 'wbn\\_%' ESCAPE '\\' THEN 'webinar'
                     WHEN campaign_id LIKE 'cmp\\_gads\\_%' ESCAPE '\\' THEN 'paid_search'
                     WHEN campaign_id LIKE 'cmp\\_linkedin\\_%' ESCAPE '\\' THEN 'paid_social'
                     WHEN campaign_id LIKE 'cmp\\_partner\\_%' ESCAPE '\\' THEN 'partner'
                     ELSE 'email' END AS channel,
                epoch_us(try_strptime(regexp_extract(campaign_id, '^[a-z]+_(\\d{{4}}_\\d{{2}})_',
                                                     1), '%Y_%m')) AS month_us
            FROM tracked
        ), dated AS (
            SELECT campaign_id, channel,
                CASE WHEN month_us IS NOT NULL THEN month_us
                     WHEN campaign_id = 'cmp_product_launch'
                     THEN {window_start_us} - 14 * {DAY_US}
                     ELSE {always_on} END AS start_us,
                CASE WHEN month_us IS NOT NULL
                     THEN epoch_us(make_timestamp(month_us) + INTERVAL 1 MONTH) - {BIG}
                END AS end_us
            FROM parsed
            UNION ALL
            SELECT * FROM (VALUES {', '.join(extras)}) t(campaign_id, channel, start_us, end_us)
        )
        SELECT *,
            CASE WHEN end_us >= {end_us} THEN NULL ELSE end_us END AS ended_us,
            row_number() OVER (ORDER BY campaign_id) AS cn
        FROM dated
        ORDER BY campaign_id
    """)
    return int(con.execute("SELECT count(*) FROM campaign_base").fetchone()[0])


def _campaigns_query(forced: ForcedPositions) -> str:
    """One row per campaign: market, spend in the market's currency, dates."""
    f = forced
    cn_in = lambda kind: sql_in("cn", f[kind])  # noqa: E731
    spend_lo = " ".join(f"WHEN '{ch}' THEN {lo}" for ch, (lo, _) in CAMPAIGN_SPEND_USD.items())
    spend_hi = " ".join(f"WHEN '{ch}' THEN {hi}" for ch, (_, hi) in CAMPAIGN_SPEND_USD.items())
    tz = ("CASE market_clean WHEN 'na' THEN -300 WHEN 'latam' THEN -180 WHEN 'emea' THEN 60 "
          "WHEN 'apac' THEN 480 ELSE 0 END")
    tz_txt = ("CASE market_clean WHEN 'na' THEN '-05:00' WHEN 'latam' THEN '-03:00' "
              "WHEN 'emea' THEN '+01:00' WHEN 'apac' THEN '+08:00' ELSE '+00:00' END")
    return f"""
        WITH marketed AS (
            SELECT *,
                CASE WHEN {cn_in('market_mess')} THEN 'emea'
                     ELSE pick(['', '', 'na', 'na', 'emea', 'emea', 'latam', 'apac'],
                               rnd(campaign_id, 'cmp.market')) END AS market_clean,
                rnd(campaign_id, 'cmp.spend') AS u_spend
            FROM campaign_base
        )
        SELECT
            campaign_id,
            CASE WHEN {cn_in('channel_mess')}
                 THEN messy(channel, 0.5 * rnd(campaign_id, 'cmp.channel.mess.kind'))
                 WHEN rnd(campaign_id, 'cmp.channel.mess') < 0.01
                 THEN messy(channel, rnd(campaign_id, 'cmp.channel.mess.kind'))
                 ELSE channel END AS channel,
            CASE WHEN {cn_in('market_mess')}
                 THEN messy(market_clean, 0.5 + 0.3 * rnd(campaign_id, 'cmp.market.mess.kind'))
                 ELSE market_clean END AS market,
            CASE WHEN {cn_in('spend_na')} THEN 'n/a'
                 ELSE printf('%.2f', round(
                     (CASE channel {spend_lo} END)
                     * exp(ln((CASE channel {spend_hi} END) / (CASE channel {spend_lo} END))
                           * u_spend)
                     * usd_rate(market_currency(market_clean)), 2)) END AS spend,
            market_currency(market_clean) AS currency,
            CASE WHEN {cn_in('ts_offset')} THEN fmt_ts(start_us, {TS_FORCE_U['offset']},
                                                       {tz}, {tz_txt})
                 WHEN {cn_in('ts_zulu')} THEN fmt_ts(start_us, {TS_FORCE_U['zulu']}, 0, '')
                 WHEN rnd(campaign_id, 'cmp.start.form') < 0.4
                 THEN strftime(make_timestamp(start_us), '%Y-%m-%d')
                 ELSE fmt_ts(start_us, ok_u(rnd(campaign_id, 'cmp.start.fmt')), {tz}, {tz_txt})
            END AS started_at,
            CASE WHEN {cn_in('ts_bad')} THEN 'not a date'
                 WHEN ended_us IS NULL THEN ''
                 ELSE fmt_ts(ended_us, rnd(campaign_id, 'cmp.end.fmt'), {tz}, {tz_txt})
            END AS ended_at
        FROM marketed
        ORDER BY cn
    """


# --------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------


def generate(out_dir: Path, n_leads: int = 2000, events_per_lead: float = 30.0,
             seed: int = 42, end_date: date | None = None, months: int = 15,
             threads: int | None = None, memory_limit: str = "2GB",
             debug: bool = False, clean: bool = False) -> dict[str, int]:
    """Write the demo Parquet files (FILES) to `out_dir`; return row counts per file.

    The same arguments always give the same data. With ``debug=True`` an extra file
    ``_debug_lead_latent.parquet`` (lead_id, intent, fit, p_convert) is written so
    that tests can check the generator's own latent variables. With ``clean=True``
    only the four LEAD_FILES are written, without any deliberate mess (see the
    module docstring); the population is the one of the same arguments without it.
    """
    if not 1 <= n_leads <= MAX_LEADS:
        raise ValueError(f"n_leads must be between 1 and {MAX_LEADS}")
    if months < 12:
        raise ValueError("months must be at least 12")
    if events_per_lead < 0:
        raise ValueError("events_per_lead must be >= 0")
    end_date = end_date or date.today()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp_dir = out_dir / ".duckdb_tmp"
    tmp_dir.mkdir(exist_ok=True)
    started = time.monotonic()

    def progress(message: str) -> None:
        print(f"[generate_demo_data {time.monotonic() - started:7.1f}s] {message}", flush=True)

    window_start = months_before(end_date, months) + timedelta(days=1)
    window_start_us, end_us = epoch_us(window_start), epoch_us(end_date + timedelta(days=1))
    n_companies = max(30, n_leads // 6)
    rng = random.Random(seed)
    ts_kinds = list(TS_FORCE_U)
    lead_forced = ForcedPositions(rng, n_leads, {
        **{f"locale_{i}": 1 for i in range(1, len(LOCALES) + 1)},
        **{f"competitor_{i}": 1 for i in range(len(COMPETITORS))},
        "unknown_atlantis": 1, "unknown_empty": 1, "deleted": 1,
        "junk_null": 1, "junk_empty": 1,
        "seniority_mess": 1, "industry_mess": 1, "country_mess": 1,
        "employees_empty": 1, "revenue_empty": 1,
        **{f"created_{k}": 1 for k in ts_kinds},
        **{f"updated_{k}": 1 for k in ts_kinds},
        **{f"attr_ts_{k}": 1 for k in ts_kinds},
        "attr_junk_null": 1, "attr_junk_empty": 1,
    }, offset=1)

    progress(f"leads={n_leads} events/lead={events_per_lead} seed={seed} "
             f"window={window_start}..{end_date} out={out_dir}")
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET memory_limit = {sql_str(memory_limit)}")
        con.execute(f"SET temp_directory = {sql_str(str(tmp_dir))}")
        con.execute("SET preserve_insertion_order = true")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        _create_macros(con, seed, clean)
        _create_companies(con, n_companies, seed)
        progress(f"companies: {n_companies + len(COMPETITORS)}")
        _create_lead_plan(con, n_leads, n_companies, events_per_lead, window_start_us,
                          end_us, lead_forced)
        n_events = int(con.execute("SELECT sum(n_events) FROM lead_plan").fetchone()[0] or 0)
        progress(f"lead plan ready: {n_events} events planned")

        event_forced = ForcedPositions(rng, n_events, {
            **{f"type_{t}": 1 for t in EVENT_TYPES},
            **{f"ts_{k}": 1 for k in ts_kinds},
            "type_mess": 1, "content_mess": 1, "dup_exact": 1, "dup_changed": 1,
            "orphan_x": 1, "orphan_range": 1, "lead_null": 1, "lead_empty": 1,
            "blank_fields": 1,
        })
        def final(query: str) -> str:
            return _cleaned(con, query) if clean else query

        counts: dict[str, int] = {}
        counts["leads.parquet"] = _copy(
            con, final(_leads_query(end_us, lead_forced)), out_dir / "leads.parquet")
        progress(f"leads.parquet: {counts['leads.parquet']} rows")
        counts["lead_attributes.parquet"] = _copy(
            con, final(_attributes_query(end_us, lead_forced)),
            out_dir / "lead_attributes.parquet")
        progress(f"lead_attributes.parquet: {counts['lead_attributes.parquet']} rows")
        plan_path = tmp_dir / "event_plan.parquet"
        _copy(con, "SELECT lead_num, lead_id, intent, created_us, loc, converted, converted_us,"
                   " ev_start, n_events FROM lead_plan ORDER BY lead_num",
              plan_path, row_group_size=EVENT_PLAN_LEADS_PER_BATCH)
        counts["events.parquet"] = _copy(
            con, final(_events_query(window_start_us, end_us, event_forced, n_leads,
                                     plan_path, clean)),
            out_dir / "events.parquet")
        progress(f"events.parquet: {counts['events.parquet']} rows")
        counts["lead_outcomes.parquet"] = _copy(
            con, final(_outcomes_query()), out_dir / "lead_outcomes.parquet")
        progress(f"lead_outcomes.parquet: {counts['lead_outcomes.parquet']} rows")
        if clean:
            for name in CRM_FILES:  # stale from an earlier run
                (out_dir / name).unlink(missing_ok=True)
        else:
            # CRM tables: own forced positions, so the lead files above stay unchanged
            crm_forced = ForcedPositions(random.Random(f"crm-{seed}"), n_leads,
                                         dict.fromkeys(CRM_FORCED_KINDS, 1), offset=1)
            _create_crm_macros(con)
            con.execute("CREATE TABLE unsubscribes AS "
                        + _unsubscribes_query(window_start_us, end_us, event_forced, plan_path))
            _create_deals(con, n_companies, end_us, crm_forced)
            counts["opportunities.parquet"] = _copy(
                con, _opportunities_query(end_us, n_leads, crm_forced),
                out_dir / "opportunities.parquet")
            counts["sales_activities.parquet"] = _copy(
                con, _activities_query(end_us, n_leads, crm_forced),
                out_dir / "sales_activities.parquet")
            n_campaigns = _create_campaign_base(con, out_dir / "events.parquet", window_start,
                                                end_date)
            campaign_forced = ForcedPositions(random.Random(f"campaigns-{seed}"), n_campaigns,
                                              dict.fromkeys(CAMPAIGN_FORCED_KINDS, 1), offset=1)
            counts["campaigns.parquet"] = _copy(
                con, _campaigns_query(campaign_forced), out_dir / "campaigns.parquet")
            counts["consents.parquet"] = _copy(
                con, _consents_query(end_us, n_leads, crm_forced), out_dir / "consents.parquet")
            counts["erasure_requests.parquet"] = _copy(
                con, _erasures_query(end_us, crm_forced, lead_forced["deleted"]),
                out_dir / "erasure_requests.parquet")
            progress("CRM: " + ", ".join(f"{name}={counts[name]}" for name in CRM_FILES))
        if debug:
            counts[DEBUG_FILE] = _copy(
                con,
                "SELECT lead_id, intent, fit, p_convert FROM lead_plan ORDER BY lead_num",
                out_dir / DEBUG_FILE)
        else:
            (out_dir / DEBUG_FILE).unlink(missing_ok=True)  # stale from an earlier run
    finally:
        con.close()
        shutil.rmtree(tmp_dir, ignore_errors=True)
    progress("done: " + ", ".join(f"{name}={count}" for name, count in counts.items()))
    return counts


def main(argv: Sequence[str] | None = None) -> dict[str, int]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--leads", type=int, default=2000, help="number of leads")
    parser.add_argument("--events-per-lead", type=float, default=30.0,
                        help="average number of events per lead")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end-date", type=date.fromisoformat, default=None,
                        help="last day of events (YYYY-MM-DD, default today)")
    parser.add_argument("--months", type=int, default=15, help="months of events (>= 12)")
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads")
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB memory_limit")
    parser.add_argument("--debug", action="store_true",
                        help="also write _debug_lead_latent.parquet")
    parser.add_argument("--clean", action="store_true",
                        help="no deliberate mess, and only the four lead files")
    args = parser.parse_args(argv)
    return generate(args.out, n_leads=args.leads, events_per_lead=args.events_per_lead,
                    seed=args.seed, end_date=args.end_date, months=args.months,
                    threads=args.threads, memory_limit=args.memory_limit, debug=args.debug,
                    clean=args.clean)


if __name__ == "__main__":
    main()
