"""Deterministic, deliberately messy demo data for the lead-scoring project.

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
    (na: US CA, latam: MX BR AR, emea: GB DE FR IT ES NL RU, apac: JP IN AU SG;
    the countries' names, markets, time zones and currencies are those of
    ``seeds/reference/country_markets.csv``), the country written as ISO code or
    English name, with native names in their
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

Implementation: everything is generated inside DuckDB with SQL over ``range()``;
every statement is a file of ``sql/`` whose placeholders take literal values
(``sql``). Pseudo-random numbers come from ``hash(seed, key, salt)`` (never
``random()``), so results do not depend on thread scheduling, and every output is
written in an explicit key order, leads/attributes/outcomes with ``ORDER BY`` and
events (which can be 50 million rows) by an order-preserving pipeline (table scan
-> unnest -> projection) with ``preserve_insertion_order``. The same arguments thus
give identical files. Events stream from a per-lead plan table straight into
``COPY ... TO 'events.parquet'``; DuckDB's memory_limit and a temp_directory
under the output directory keep memory bounded. The CRM tables are small per lead
and built from the lead plan afterwards with their own forced positions (from
``random.Random(f"crm-{seed}")``), so the four lead files are the same as without
them.

Modules, one concern each:

- ``generator``: ``generate()``, the steps in order;
- ``cli``: the command line of ``scripts/generate_demo_data.py`` (the entry point);
- ``leads``, ``crm``: the four lead files and the five CRM tables, each query from
  its SQL file with the values it needs;
- ``sql``: the SQL files, their one templating step, COPY to Parquet;
- ``forced``: where each kind of mess is forced to appear;
- ``reference``: the lists the population is drawn from; ``locales``: the
  locales, their countries read from the seed.

Usage::

    python scripts/generate_demo_data.py --out data/demo --leads 2000 --seed 42
    python scripts/generate_demo_data.py --out /tmp/clean --leads 100000 --clean
"""
