"""dbt-score rules for the conventions of docs/STYLE (dbt-project-evaluator's DAG
rules): layers in their folders with their prefixes, one source per staging
model and none elsewhere, public models behind exposures, a join ceiling,
primary-key tests and fresh sources."""

import re

from dbt_score import Exposure, Macro, Model, RuleViolation, Severity, Source, rule

# layer folder -> prefixes its models take
LAYERS = {
    "models/staging/": ("stg_",),
    "models/intermediate/": ("int_",),
    "models/marts/": ("fct_", "dim_", "rpt_", "agg_"),
    "models/utilities/": ("metricflow_time_spine",),
}


def _parent_kinds(model: Model) -> tuple[list[str], list[str]]:
    """Names of the sources and of the models a model reads."""
    sources = [parent.name for parent in model.parents if isinstance(parent, Source)]
    models = [parent.name for parent in model.parents if isinstance(parent, Model)]
    return sources, models


@rule(severity=Severity.HIGH)
def model_in_its_layer_with_its_prefix(model: Model,
                                       prefixes: str = "") -> RuleViolation | None:
    """A model lives in its layer's folder and takes the layer's prefix;
    staging models live in staging/<source>/ and are named stg_<source>__<entity>s.

    ``prefixes`` (comma-separated) overrides the marts' prefixes."""
    path = model.original_file_path
    for folder, allowed in LAYERS.items():
        if not path.startswith(folder):
            continue
        if folder == "models/marts/" and prefixes:
            allowed = tuple(prefix.strip() for prefix in prefixes.split(","))
        if folder == "models/staging/":
            parts = path[len(folder):].split("/")
            source_folder = parts[0]
            # dbt Labs' base models: staging/<source>/base/base_<source>__<entity>s,
            # read by that source's staging models only
            kind = "base" if len(parts) > 2 and parts[1] == "base" else "stg"
            expected = f"{kind}_{source_folder}__"
            if not model.name.startswith(expected):
                return RuleViolation(f"{path}: a {kind} model of source folder "
                                     f"{source_folder} is named {expected}<entity>s.")
            return None
        if not model.name.startswith(allowed):
            return RuleViolation(f"{path}: models under {folder} start with "
                                 f"{' or '.join(allowed)}.")
        return None
    return RuleViolation(f"{path}: not under a layer folder ({', '.join(LAYERS)}).")


def _names(text: str) -> set[str]:
    return {name.strip() for name in text.split(",") if name.strip()}


@rule(severity=Severity.HIGH)
def staging_reads_one_source(model: Model, exempt: str = "") -> RuleViolation | None:
    """A staging model reads exactly one source and no other model, or only base
    models of its own source folder (a base model reads exactly one source);
    ``exempt``: comma-separated models, named in the configuration with the
    reason."""
    path = model.original_file_path
    if not path.startswith("models/staging/") or model.name in _names(exempt):
        return None
    source_folder = path[len("models/staging/"):].split("/")[0]
    sources, models = _parent_kinds(model)
    only_base_models = all(name.startswith(f"base_{source_folder}__") for name in models)
    if only_base_models and (len(set(sources)) == 1 or not sources and models):
        return None
    return RuleViolation(f"reads sources {sources} and models {models}: one source, "
                         f"no model but base_{source_folder}__ models.")


@rule(severity=Severity.HIGH)
def no_source_outside_staging(model: Model) -> RuleViolation | None:
    """Only staging models read sources."""
    if model.original_file_path.startswith("models/staging/"):
        return None
    sources, _ = _parent_kinds(model)
    if sources:
        return RuleViolation(f"reads source(s) {', '.join(sources)} outside staging.")
    return None


@rule(severity=Severity.HIGH)
def model_has_a_parent(model: Model, roots: str = "") -> RuleViolation | None:
    """Every model reads something (``roots``: comma-separated models that generate
    their rows, named in the configuration with the reason)."""
    if model.name in _names(roots):
        return None
    if not model.parents:
        return RuleViolation("has no parent (no ref, source or seed).")
    return None


JOIN = re.compile(r"\bjoin\b", re.IGNORECASE)
COMMENT = re.compile(r"--[^\n]*|\{#.*?#\}", re.DOTALL)


@rule(severity=Severity.MEDIUM)
def join_ceiling(model: Model, max_joins: int = 6, exempt: str = "") -> RuleViolation | None:
    """A model's SQL joins at most ``max_joins`` times (comments left out): past
    that, a step of its logic belongs in an intermediate model (``exempt``:
    comma-separated models, named in the configuration with the reason)."""
    if model.name in _names(exempt):
        return None
    joins = len(JOIN.findall(COMMENT.sub("", model.raw_code)))
    if joins > max_joins:
        return RuleViolation(f"{joins} joins (> {max_joins}).")
    return None


@rule(severity=Severity.HIGH)
def has_primary_key_test(model: Model) -> RuleViolation | None:
    """A model has a tested primary key: one column tested unique and not_null, or
    a unique_combination_of_columns test."""
    for column in model.columns:
        types = {test.type for test in column.tests}
        if {"unique", "not_null"} <= types:
            return None
    if any(test.type == "unique_combination_of_columns" for test in model.tests):
        return None
    return RuleViolation("no primary key test (unique + not_null on a column, or "
                         "unique_combination_of_columns).")


@rule(severity=Severity.HIGH)
def exposure_reads_public_models(exposure: Exposure) -> RuleViolation | None:
    """Every model an exposure names has ``access: public``."""
    private = sorted(parent.name for parent in exposure.parents
                     if isinstance(parent, Model) and parent.access != "public")
    if private:
        return RuleViolation(f"names models without access public: {', '.join(private)}.")
    return None


@rule(severity=Severity.MEDIUM)
def source_has_freshness(source: Source) -> RuleViolation | None:
    """A source table declares freshness with a loaded_at_field, unless its register
    entry (config.meta) says it is optional: a warehouse may not have it, and the
    freshness check of a missing table fails."""
    meta = source.config.get("meta") or source.meta or {}
    if meta.get("required") is False:
        return None
    freshness = source.freshness
    if isinstance(freshness, dict):
        counts = [(freshness.get(key) or {}).get("count") for key in ("warn_after",
                                                                       "error_after")]
    elif freshness is not None:
        counts = [freshness.warn_after.count, freshness.error_after.count]
    else:
        counts = []
    if not any(count is not None for count in counts):
        return RuleViolation("no freshness (warn_after / error_after) declared.")
    if not (source.config.get("loaded_at_field")
            or source._raw_values.get("loaded_at_field")):
        return RuleViolation("freshness without a loaded_at_field.")
    return None


ADAPTERS = ("default__", "duckdb__", "spark__")


@rule(severity=Severity.MEDIUM)
def macro_documented(macro: Macro) -> RuleViolation | None:
    """A project macro has a description (macros/_macros.yml); an adapter's
    implementation of a dispatched macro (default__x, spark__x, ...) is documented
    by the macro it implements."""
    if macro.name.startswith(ADAPTERS) or not macro.original_file_path.startswith(
            "macros/"):
        return None
    if not macro.description:
        return RuleViolation("no description in macros/_macros.yml.")
    return None
