"""Where each kind of deliberate mess is forced to appear, so that every kind shows up
even in a data set of a few hundred leads.

Random fractions alone do not guarantee that every kind of mess shows up in a small
data set, so each kind also gets a few keys (lead numbers, event numbers, campaign
numbers) picked with ``random.Random``. The keys of one ``ForcedPositions`` are
distinct, so each key has at most one kind: the SQL asks ``forced_kind(keys, kinds,
key)`` (sql/macros.sql) for it, '' where none is forced. A kind ``name=arg`` carries
an argument, read with ``forced_arg(kind, 'name')``: ``locale=3`` (the lead lives in
locale 3), ``created=zulu`` (its created_at is written with a 'Z').

The kinds are served in the order listed, and only the first ones get a key when
there are fewer keys than kinds (a data set of a handful of leads).
"""

from __future__ import annotations

import random

from scripts.demo_data.reference import COMPETITORS, EVENT_TYPES, TS_KINDS


def lead_kinds(n_locales: int) -> dict[str, int]:
    """Kinds of mess forced onto distinct leads (lead files), with their counts."""
    return {
        **{f"locale={i}": 1 for i in range(1, n_locales + 1)},
        **{f"competitor={i}": 1 for i in range(len(COMPETITORS))},
        "unknown_atlantis": 1, "unknown_empty": 1, "deleted": 1,
        "junk_null": 1, "junk_empty": 1,
        "seniority_mess": 1, "industry_mess": 1, "country_mess": 1,
        "employees_empty": 1, "revenue_empty": 1,
        **{f"created={k}": 1 for k in TS_KINDS},
        **{f"updated={k}": 1 for k in TS_KINDS},
        **{f"attr_ts={k}": 1 for k in TS_KINDS},
        "attr_junk_null": 1, "attr_junk_empty": 1,
    }


# Kinds of mess forced onto distinct events.
EVENT_KINDS = {
    **{f"type={t}": 1 for t in EVENT_TYPES},
    **{f"ts={k}": 1 for k in TS_KINDS},
    "type_mess": 1, "content_mess": 1, "dup_exact": 1, "dup_changed": 1,
    "orphan_x": 1, "orphan_range": 1, "lead_null": 1, "lead_empty": 1,
    "blank_fields": 1,
}

# Kinds of CRM mess forced onto distinct leads (drawn apart from the lead kinds, so
# that the lead files do not depend on them); every kind also occurs at random.
# Deal kinds make sure the lead has the deal the mess needs.
CRM_KINDS = dict.fromkeys((
    # erasure_requests first (kinds are served in order; n may be tiny):
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
    "act_ts=not_a_date", "act_ts=day_first", "act_ts=offset", "act_ts=zulu",
    "act_dup_exact", "act_dup_changed",
    # consents: mess on the lead's first marketing row, or extra junk rows
    "con_status_maybe", "con_status_mess", "con_purpose_mess",
    "con_ts=feb_30", "con_ts=not_a_date", "con_ts=offset", "con_ts=zulu",
    "con_lead_null", "con_lead_empty", "con_lead_x", "con_lead_range",
), 1)

# Kinds of mess forced onto distinct campaigns.
CAMPAIGN_KINDS = dict.fromkeys(("channel_mess", "market_mess", "spend_na", "ts_offset",
                                "ts_zulu", "ts_bad"), 1)


class ForcedPositions:
    """Seed-derived distinct keys where a given kind of mess is forced to appear."""

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

    def keys(self) -> list[int]:
        """Every forced key, in the order of ``kinds()``."""
        return [k for keys in self.positions.values() for k in keys]

    def kinds(self) -> list[str]:
        """The kind forced at each key of ``keys()``."""
        return [kind for kind, keys in self.positions.items() for _ in keys]
