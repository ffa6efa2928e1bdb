"""Reference data of the demo population: the lists the SQL picks from.

Everything here is rendered into the SQL as literal values (``sql.render``); the
countries come from the seed instead (``locales``). Weights are relative; ``*_FIT``
values in [0, 1] feed the fit score of the outcome model (sql/lead_plan.sql).
"""

from __future__ import annotations

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
# the lead's country (from the seed), at these units per USD (roughly 2024-2025 levels;
# the generator's own, not seeds/reference/fx_rates_monthly.csv).
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

# Kinds of timestamp text of the formatter fmt_ts (sql/macros.sql), which also holds
# their thresholds and the value of u that forces each one (ts_force_u).
TS_KINDS = ("not_a_date", "feb_30", "day_first", "empty", "zulu", "offset")

BIG = 1_000_000  # microseconds per second
DAY_US = 86_400 * BIG
MAX_LEADS = 9_999_999

LEAD_FILES = ("leads.parquet", "lead_attributes.parquet", "events.parquet",
              "lead_outcomes.parquet")
CRM_FILES = ("opportunities.parquet", "sales_activities.parquet", "campaigns.parquet",
             "consents.parquet", "erasure_requests.parquet")
FILES = LEAD_FILES + CRM_FILES
DEBUG_FILE = "_debug_lead_latent.parquet"
