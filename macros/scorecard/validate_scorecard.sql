{% macro validate_scorecard(seeds) %}
    {#-
        Checks the scorecard seed rows against the scoring contract
        (SCORING_SPEC sections 2 and 3) and returns them in the normalised
        form the SQL generators use. Every problem found is reported, each
        naming the file, the scorecard, the rule (or band, grade, group) and
        what is wrong; any problem stops the build with a compiler error.
        Values are kept as data: nothing in them is ever rendered as SQL
        except through string_literal() or as a number checked here.
    -#}
    {%- set errors = [] -%}
    {%- set lead_columns = lead_scoring.scorecard_fields()['lead_columns'] -%}
    {%- set activity_fields = lead_scoring.scorecard_fields()['activity_fields'] -%}
    {%- set operators = [
        'equals', 'not_equals', 'in', 'not_in', 'contains', 'starts_with',
        'gt', 'gte', 'lt', 'lte', 'between', 'range', 'is_null', 'is_not_null'
    ] -%}
    {%- set numeric_operators = ['gt', 'gte', 'lt', 'lte', 'between'] -%}
    {%- set required_rule_columns = [
        'scorecard_id', 'rule_id', 'dimension', 'score_group', 'source',
        'points', 'description'
    ] -%}

    {#- ---- scorecard_rules.csv ---- -#}
    {%- set rule_rows = seeds['scorecard_rules'] -%}
    {%- if rule_rows | length == 0 -%}
        {%- do errors.append('scorecard_rules.csv: the file has no rules') -%}
    {%- else -%}
        {%- for column in required_rule_columns -%}
            {%- if column not in rule_rows[0] -%}
                {%- do errors.append('scorecard_rules.csv: required column `' ~ column ~ '` is missing') -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}

    {%- set scorecards = {} -%}
    {%- set scorecard_order = [] -%}
    {%- set rules = [] -%}
    {%- set seen_rules = [] -%}
    {%- set custom_attributes = [] -%}
    {%- set file_ok = errors | length == 0 -%}
    {%- for row in rule_rows if file_ok -%}
        {%- set scorecard_id = (row.get('scorecard_id') or '') | trim -%}
        {%- set rule_id = (row.get('rule_id') or '') | trim -%}
        {%- set where = 'scorecard_rules.csv: scorecard ' ~ (scorecard_id or '(empty)') ~ ', rule ' ~ (rule_id or '(empty, line ' ~ (loop.index + 1) ~ ')') ~ ': ' -%}
        {%- set rule_errors = [] -%}
        {%- for column in required_rule_columns -%}
            {%- if ((row.get(column) or '') | trim) == '' -%}
                {%- do rule_errors.append(where ~ '`' ~ column ~ '` is required but empty') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if rule_id.startswith('__') -%}
            {%- do rule_errors.append(where ~ 'rule ids starting with `__` are reserved for the ledger') -%}
        {%- endif -%}
        {%- if (scorecard_id, rule_id) in seen_rules and rule_id != '' -%}
            {%- do rule_errors.append(where ~ 'duplicate rule_id: `' ~ rule_id ~ '` appears more than once in this scorecard') -%}
        {%- endif -%}
        {%- do seen_rules.append((scorecard_id, rule_id)) -%}

        {%- set dimension = (row.get('dimension') or '') | trim | lower -%}
        {%- if dimension and dimension not in ['fit', 'engagement'] -%}
            {%- do rule_errors.append(where ~ 'unknown dimension `' ~ dimension ~ '` (expected fit or engagement)') -%}
        {%- endif -%}
        {%- set source = (row.get('source') or '') | trim | lower -%}
        {%- if source and source not in ['lead', 'activity'] -%}
            {%- do rule_errors.append(where ~ 'unknown source `' ~ source ~ '` (expected lead or activity)') -%}
        {%- endif -%}

        {%- set points_text = (row.get('points') or '') | trim -%}
        {%- set points = none -%}
        {%- if points_text -%}
            {%- if lead_scoring.is_number_text(points_text) -%}
                {%- set points = points_text | float -%}
                {%- if points | abs > 1000000000 -%}
                    {%- do rule_errors.append(where ~ 'points `' ~ points_text ~ '` is out of range (at most 1e9 either way)') -%}
                {%- endif -%}
            {%- else -%}
                {%- do rule_errors.append(where ~ 'points `' ~ points_text ~ '` is not a number') -%}
            {%- endif -%}
        {%- endif -%}

        {%- set field = (row.get('field') or '') | trim | lower -%}
        {%- set operator = (row.get('operator') or '') | trim | lower -%}
        {%- set value_text = row.get('value') -%}
        {%- set value_text = '' if value_text is none else value_text -%}
        {%- if operator and operator not in operators -%}
            {%- do rule_errors.append(where ~ 'unknown operator `' ~ operator ~ '` (expected one of ' ~ operators | join(', ') ~ ')') -%}
        {%- endif -%}
        {%- if field and not operator -%}
            {%- do rule_errors.append(where ~ 'field `' ~ field ~ '` is given without an operator') -%}
        {%- endif -%}
        {%- if operator and not field -%}
            {%- do rule_errors.append(where ~ 'operator `' ~ operator ~ '` is given without a field') -%}
        {%- endif -%}
        {%- if source == 'lead' and not field -%}
            {%- do rule_errors.append(where ~ 'a lead rule needs a field and an operator') -%}
        {%- endif -%}

        {#- the operator's values -#}
        {%- set values = [] -%}
        {%- if operator in ['in', 'not_in'] -%}
            {%- for part in value_text.split('|') if part | trim != '' -%}
                {%- do values.append(part | trim) -%}
            {%- endfor -%}
            {%- if values | length == 0 -%}
                {%- do rule_errors.append(where ~ 'operator `' ~ operator ~ '` needs at least one value (values separated by |)') -%}
            {%- endif -%}
        {%- elif operator == 'between' -%}
            {%- set parts = value_text.split('|') -%}
            {%- if parts | length != 2 or parts[0] | trim == '' or parts[1] | trim == '' -%}
                {%- do rule_errors.append(where ~ 'operator `between` needs two bounds written low|high, got `' ~ value_text ~ '`') -%}
            {%- else -%}
                {%- do values.append(parts[0] | trim) -%}
                {%- do values.append(parts[1] | trim) -%}
                {%- if lead_scoring.is_number_text(values[0]) and lead_scoring.is_number_text(values[1]) and (values[0] | float) > (values[1] | float) -%}
                    {%- do rule_errors.append(where ~ 'operator `between` has its low bound above its high bound: `' ~ value_text ~ '`') -%}
                {%- endif -%}
            {%- endif -%}
        {%- elif operator == 'range' -%}
            {#- half-open low <= x < high; either side may be empty (open
                end), not both; a bound that is not a number is an error -#}
            {%- set parts = value_text.split('|') -%}
            {%- if parts | length != 2 or (parts[0] | trim == '' and parts[1] | trim == '') -%}
                {%- do rule_errors.append(where ~ 'operator `range` needs bounds written low|high (either side may be empty for an open end, not both), got `' ~ value_text ~ '`') -%}
            {%- else -%}
                {%- set bounds = {'low': none, 'high': none} -%}
                {%- for side, text in [('low', parts[0] | trim), ('high', parts[1] | trim)] if text != '' -%}
                    {%- if lead_scoring.is_number_text(text) -%}
                        {%- do bounds.update({side: text | float}) -%}
                    {%- else -%}
                        {%- do rule_errors.append(where ~ 'operator `range` has a ' ~ side ~ ' bound `' ~ text ~ '` that is not a number') -%}
                    {%- endif -%}
                {%- endfor -%}
                {%- if bounds['low'] is not none and bounds['high'] is not none and bounds['low'] >= bounds['high'] -%}
                    {%- do rule_errors.append(where ~ 'operator `range` has its low bound not below its high bound (low <= x < high matches nothing): `' ~ value_text ~ '`') -%}
                {%- endif -%}
                {%- do values.append(bounds['low']) -%}
                {%- do values.append(bounds['high']) -%}
            {%- endif -%}
        {%- elif operator in ['is_null', 'is_not_null'] or not operator -%}
            {#- no value -#}
        {%- elif operator in operators -%}
            {%- if value_text | trim == '' -%}
                {%- do rule_errors.append(where ~ 'operator `' ~ operator ~ '` needs a value') -%}
            {%- else -%}
                {%- do values.append(value_text | trim) -%}
            {%- endif -%}
        {%- endif -%}
        {#- numeric operators: a value that is not a number makes the rule
            never apply (contract section 3.1), it is not an error -#}
        {%- set numbers = [] -%}
        {%- if operator in numeric_operators -%}
            {%- for v in values -%}
                {%- if lead_scoring.is_number_text(v) -%}
                    {%- do numbers.append(v | float) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}

        {#- activity rules -#}
        {%- set activity_type = (row.get('activity_type') or '') | trim | lower -%}
        {%- set frequency = (row.get('frequency') or '') | trim | lower -%}
        {%- set counts = {'min_count': 1, 'max_count': none} -%}
        {%- set optional = {'max_points': none, 'window_days': none, 'half_life_days': none} -%}
        {%- if source == 'activity' -%}
            {%- if not activity_type -%}
                {%- do rule_errors.append(where ~ 'an activity rule needs an activity_type') -%}
            {%- endif -%}
            {%- if not frequency -%}
                {%- do rule_errors.append(where ~ 'an activity rule needs a frequency (each or once)') -%}
            {%- elif frequency not in ['each', 'once'] -%}
                {%- do rule_errors.append(where ~ 'unknown frequency `' ~ frequency ~ '` (expected each or once)') -%}
            {%- endif -%}
            {%- if field and field not in activity_fields -%}
                {%- do rule_errors.append(where ~ 'activity field `' ~ field ~ '` is not an activity property (expected one of ' ~ activity_fields | join(', ') ~ ')') -%}
            {%- endif -%}
            {%- for column in ['min_count', 'max_count'] -%}
                {%- set text = (row.get(column) or '') | trim -%}
                {%- if text -%}
                    {%- if lead_scoring.is_number_text(text) and (text | float) >= 0 and (text | float) == ((text | float) | int) -%}
                        {%- do counts.update({column: text | float | int}) -%}
                    {%- else -%}
                        {%- do rule_errors.append(where ~ column ~ ' `' ~ text ~ '` is not a whole number of at least 0') -%}
                    {%- endif -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if counts['max_count'] is not none and counts['min_count'] > counts['max_count'] -%}
                {%- do rule_errors.append(where ~ 'min_count ' ~ counts['min_count'] ~ ' is above max_count ' ~ counts['max_count']) -%}
            {%- endif -%}
            {%- for column in ['window_days', 'half_life_days'] -%}
                {%- set text = (row.get(column) or '') | trim -%}
                {%- if text -%}
                    {%- if not lead_scoring.is_number_text(text) -%}
                        {%- do rule_errors.append(where ~ column ~ ' `' ~ text ~ '` is not a number') -%}
                    {%- elif column == 'window_days' and (text | float) < 0 -%}
                        {%- do rule_errors.append(where ~ 'window_days `' ~ text ~ '` is negative') -%}
                    {%- elif column == 'half_life_days' and (text | float) <= 0 -%}
                        {%- do rule_errors.append(where ~ 'half_life_days `' ~ text ~ '` must be above 0') -%}
                    {%- else -%}
                        {%- do optional.update({column: text | float}) -%}
                    {%- endif -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
        {%- set max_points_text = (row.get('max_points') or '') | trim -%}
        {%- if max_points_text -%}
            {%- if lead_scoring.is_number_text(max_points_text) and (max_points_text | float) >= 0 -%}
                {%- do optional.update({'max_points': max_points_text | float}) -%}
            {%- else -%}
                {%- do rule_errors.append(where ~ 'max_points `' ~ max_points_text ~ '` is not a number of at least 0') -%}
            {%- endif -%}
        {%- endif -%}

        {%- if source == 'lead' and field and field not in lead_columns and field not in custom_attributes -%}
            {%- do custom_attributes.append(field) -%}
        {%- endif -%}

        {%- if rule_errors | length > 0 -%}
            {%- do errors.extend(rule_errors) -%}
        {%- else -%}
            {%- if scorecard_id not in scorecards -%}
                {%- do scorecards.update({scorecard_id: {
                    'scorecard_id': scorecard_id, 'rules': [], 'groups': [],
                    'bands': [], 'grades': []
                }}) -%}
                {%- do scorecard_order.append(scorecard_id) -%}
            {%- endif -%}
            {%- set rule = {
                'key': none,
                'scorecard_id': scorecard_id,
                'rule_id': rule_id,
                'dimension': dimension,
                'score_group': (row.get('score_group') | trim),
                'source': source,
                'activity_type': activity_type,
                'field': field,
                'is_custom_attribute': source == 'lead' and field not in lead_columns,
                'custom_attribute_index': (custom_attributes.index(field) + 1) if (source == 'lead' and field not in lead_columns) else none,
                'operator': operator,
                'value': value_text,
                'values': values,
                'numbers': numbers,
                'points': points,
                'frequency': frequency,
                'min_count': counts['min_count'],
                'max_count': counts['max_count'],
                'max_points': optional['max_points'],
                'window_days': optional['window_days'],
                'half_life_days': optional['half_life_days'],
                'market': ((row.get('market') or '') | trim | lower) or none,
                'description': (row.get('description') | trim),
            } -%}
            {%- do rules.append(rule) -%}
            {%- do scorecards[scorecard_id]['rules'].append(rule) -%}
        {%- endif -%}
    {%- endfor -%}

    {#- ---- column keys: r_<scorecard>__<rule>, from the ids alone, so that
        every model names a rule's columns the same whatever order it read
        the seed in; ids that slug alike get a hash of the ids as well ---- -#}
    {%- set base_keys = [] -%}
    {%- for rule in rules -%}
        {%- do base_keys.append(
            'r_' ~ modules.re.sub('[^a-z0-9]+', '_', rule['scorecard_id'] | lower).strip('_')[:30]
            ~ '__' ~ modules.re.sub('[^a-z0-9]+', '_', rule['rule_id'] | lower).strip('_')[:40]
        ) -%}
    {%- endfor -%}
    {%- for rule in rules -%}
        {%- set base = base_keys[loop.index0] -%}
        {%- if base_keys.count(base) > 1 or base.endswith('__') or base.startswith('r___') -%}
            {%- set base = base ~ '_' ~ local_md5(rule['scorecard_id'] ~ '|' ~ rule['rule_id'])[:8] -%}
        {%- endif -%}
        {%- do rule.update({'key': base}) -%}
    {%- endfor -%}

    {#- ---- required columns of the other files (when they have rows) ---- -#}
    {%- set column_errors = [] -%}
    {%- for file, columns in [
        ('scorecard_groups', ['scorecard_id', 'score_group', 'min_points', 'max_points']),
        ('scorecard_bands', ['scorecard_id', 'band', 'min_score']),
        ('scorecard_grades', ['scorecard_id', 'grade', 'min_fit_score'])
    ] if seeds[file] | length > 0 -%}
        {%- for column in columns if column not in seeds[file][0] -%}
            {%- do column_errors.append(file ~ '.csv: required column `' ~ column ~ '` is missing') -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do errors.extend(column_errors) -%}
    {#- the checks below read these columns: stop here when one is missing -#}
    {%- if column_errors | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            'The scorecard breaks the scoring contract (' ~ errors | length ~ ' problem'
            ~ ('s' if errors | length > 1 else '') ~ '):\n  - ' ~ errors | join('\n  - ')
        ) }}
    {%- endif -%}

    {#- ---- scorecard_groups.csv: caps, and one dimension per group ---- -#}
    {%- set seen_groups = [] -%}
    {%- for row in seeds['scorecard_groups'] -%}
        {%- set scorecard_id = (row.get('scorecard_id') or '') | trim -%}
        {%- set group = (row.get('score_group') or '') | trim -%}
        {%- set where = 'scorecard_groups.csv: scorecard ' ~ (scorecard_id or '(empty)') ~ ', group ' ~ (group or '(empty)') ~ ': ' -%}
        {%- if not scorecard_id or not group -%}
            {%- do errors.append(where ~ 'scorecard_id and score_group are required') -%}
        {%- elif scorecard_id not in scorecards -%}
            {%- do errors.append(where ~ 'names a scorecard that has no (valid) rules in scorecard_rules.csv') -%}
        {%- elif (scorecard_id, group | lower) in seen_groups -%}
            {%- do errors.append(where ~ 'the group is listed more than once') -%}
        {%- else -%}
            {%- do seen_groups.append((scorecard_id, group | lower)) -%}
            {%- set caps = {'min_points': none, 'max_points': none} -%}
            {%- for column in ['min_points', 'max_points'] -%}
                {%- set text = (row.get(column) or '') | trim -%}
                {%- if text and lead_scoring.is_number_text(text) -%}
                    {%- do caps.update({column: text | float}) -%}
                {%- elif text -%}
                    {%- do errors.append(where ~ column ~ ' `' ~ text ~ '` is not a number') -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if caps['min_points'] is not none and caps['max_points'] is not none and caps['min_points'] > caps['max_points'] -%}
                {%- do errors.append(where ~ 'min_points is above max_points') -%}
            {%- endif -%}
            {%- do scorecards[scorecard_id]['groups'].append({
                'score_group': group, 'min_points': caps['min_points'],
                'max_points': caps['max_points'], 'dimension': none
            }) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- every group that has rules, with its dimension; groups without a
        row in scorecard_groups.csv have no cap -#}
    {%- for scorecard_id in scorecard_order -%}
        {%- set scorecard = scorecards[scorecard_id] -%}
        {%- for rule in scorecard['rules'] -%}
            {%- set found = [] -%}
            {%- for group in scorecard['groups'] if group['score_group'] | lower == rule['score_group'] | lower -%}
                {%- do found.append(group) -%}
            {%- endfor -%}
            {%- if found | length == 0 -%}
                {%- do scorecard['groups'].append({
                    'score_group': rule['score_group'], 'min_points': none,
                    'max_points': none, 'dimension': rule['dimension']
                }) -%}
            {%- elif found[0]['dimension'] is none -%}
                {%- do found[0].update({'dimension': rule['dimension']}) -%}
            {%- elif found[0]['dimension'] != rule['dimension'] -%}
                {%- do errors.append('scorecard_rules.csv: scorecard ' ~ scorecard_id ~ ', rule ' ~ rule['rule_id'] ~ ': group `' ~ rule['score_group'] ~ '` mixes fit and engagement rules; a group belongs to one dimension') -%}
            {%- endif -%}
            {%- do rule.update({'score_group': (found[0]['score_group'] if found else rule['score_group'])}) -%}
        {%- endfor -%}
        {%- set used_groups = [] -%}
        {%- for group in scorecard['groups'] if group['dimension'] is not none -%}
            {%- do used_groups.append(group) -%}
        {%- endfor -%}
        {%- do scorecard.update({'groups': used_groups}) -%}
    {%- endfor -%}

    {#- ---- scorecard_bands.csv and scorecard_grades.csv ---- -#}
    {%- for spec in [
        {'file': 'scorecard_bands', 'name': 'band', 'threshold': 'min_score', 'key': 'bands', 'required': true},
        {'file': 'scorecard_grades', 'name': 'grade', 'threshold': 'min_fit_score', 'key': 'grades', 'required': false}
    ] -%}
        {%- set by_scorecard = {} -%}
        {%- set by_market = {} -%}
        {%- for row in seeds[spec['file']] -%}
            {%- set scorecard_id = (row.get('scorecard_id') or '') | trim -%}
            {%- set name = (row.get(spec['name']) or '') | trim -%}
            {%- set market = (row.get('market') or '') | trim | lower -%}
            {%- set where = spec['file'] ~ '.csv: scorecard ' ~ (scorecard_id or '(empty)') ~ (', market ' ~ market if market else '') ~ ', ' ~ spec['name'] ~ ' ' ~ (name or '(empty)') ~ ': ' -%}
            {%- set threshold_text = (row.get(spec['threshold']) or '') | trim -%}
            {%- if not scorecard_id or not name -%}
                {%- do errors.append(where ~ 'scorecard_id and ' ~ spec['name'] ~ ' are required') -%}
            {%- elif scorecard_id not in scorecards -%}
                {%- do errors.append(where ~ 'names a scorecard that has no (valid) rules in scorecard_rules.csv') -%}
            {%- elif threshold_text and not lead_scoring.is_number_text(threshold_text) -%}
                {%- do errors.append(where ~ spec['threshold'] ~ ' `' ~ threshold_text ~ '` is not a number') -%}
            {%- else -%}
                {%- set entry = {
                    'name': name,
                    'threshold': (threshold_text | float) if threshold_text else none,
                    'where': where
                } -%}
                {%- if market -%}
                    {%- do by_market.setdefault(scorecard_id, {}).setdefault(market, []).append(entry) -%}
                {%- else -%}
                    {%- do by_scorecard.setdefault(scorecard_id, []).append(entry) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for scorecard_id in scorecard_order -%}
            {%- set entries = by_scorecard.get(scorecard_id, []) -%}
            {%- if entries | length == 0 -%}
                {%- if spec['required'] -%}
                    {%- do errors.append(spec['file'] ~ '.csv: scorecard ' ~ scorecard_id ~ ': the scorecard has no bands (missing bands)') -%}
                {%- endif -%}
                {%- if by_market.get(scorecard_id) -%}
                    {%- do errors.append(spec['file'] ~ '.csv: scorecard ' ~ scorecard_id ~ ': market-specific ' ~ spec['key'] ~ ' need the default ' ~ spec['key'] ~ ' (rows with an empty market) too') -%}
                {%- endif -%}
            {%- else -%}
                {#- the default set (empty market) first, then one set per market -#}
                {%- set sets = [('', entries)] -%}
                {%- for market in (by_market.get(scorecard_id, {}) | list | sort) -%}
                    {%- do sets.append((market, by_market[scorecard_id][market])) -%}
                {%- endfor -%}
                {%- set market_sets = {} -%}
                {%- for market, set_entries in sets -%}
                    {%- set set_label = spec['file'] ~ '.csv: scorecard ' ~ scorecard_id ~ (', market ' ~ market if market else '') -%}
                    {%- set lowest = [] -%}
                    {%- set ranked = [] -%}
                    {%- set names = [] -%}
                    {%- set thresholds = [] -%}
                    {%- for entry in set_entries -%}
                        {%- if entry['name'] | lower in names -%}
                            {%- do errors.append(entry['where'] ~ 'the ' ~ spec['name'] ~ ' is listed more than once') -%}
                        {%- endif -%}
                        {%- do names.append(entry['name'] | lower) -%}
                        {%- if entry['threshold'] is none -%}
                            {%- do lowest.append(entry) -%}
                        {%- elif entry['threshold'] in thresholds -%}
                            {%- do errors.append(entry['where'] ~ 'overlapping ' ~ spec['key'] ~ ': another ' ~ spec['name'] ~ ' has the same ' ~ spec['threshold'] ~ ' ' ~ entry['threshold']) -%}
                        {%- else -%}
                            {%- do thresholds.append(entry['threshold']) -%}
                            {%- do ranked.append(entry) -%}
                        {%- endif -%}
                    {%- endfor -%}
                    {%- if lowest | length != 1 -%}
                        {%- do errors.append(set_label ~ ': exactly one ' ~ spec['name'] ~ ' must have an empty ' ~ spec['threshold'] ~ ' (the lowest, for every score below the others); found ' ~ lowest | length ~ (' (missing lowest band)' if lowest | length == 0 else ' (overlapping)')) -%}
                    {%- else -%}
                        {%- set ordered = [{'name': lowest[0]['name'], 'threshold': none}] -%}
                        {%- for entry in ranked | sort(attribute='threshold') -%}
                            {%- do ordered.append({'name': entry['name'], 'threshold': entry['threshold']}) -%}
                        {%- endfor -%}
                        {%- if not market -%}
                            {%- do scorecards[scorecard_id].update({spec['key']: ordered}) -%}
                        {%- elif scorecards[scorecard_id].get(spec['key']) -%}
                            {#- a market's set renames nothing: same names, same order, other thresholds -#}
                            {%- set default_names = scorecards[scorecard_id][spec['key']] | map(attribute='name') | map('lower') | list -%}
                            {%- set market_names = ordered | map(attribute='name') | map('lower') | list -%}
                            {%- if market_names != default_names -%}
                                {%- do errors.append(set_label ~ ': market-specific ' ~ spec['key'] ~ ' must have the default ' ~ spec['key'] ~ ' in the same order (' ~ default_names | join(' < ') ~ '), only other thresholds; found ' ~ market_names | join(' < ')) -%}
                            {%- else -%}
                                {%- do market_sets.update({market: ordered}) -%}
                            {%- endif -%}
                        {%- endif -%}
                    {%- endif -%}
                {%- endfor -%}
                {%- do scorecards[scorecard_id].update({'market_' ~ spec['key']: market_sets}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}

    {%- if errors | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            'The scorecard breaks the scoring contract (' ~ errors | length ~ ' problem' ~ ('s' if errors | length > 1 else '') ~ '):\n  - '
            ~ errors | join('\n  - ')
        ) }}
    {%- endif -%}
    {%- set result = [] -%}
    {%- for scorecard_id in scorecard_order -%}
        {%- do result.append(scorecards[scorecard_id]) -%}
    {%- endfor -%}
    {{ return({
        'scorecards': result,
        'rules': rules,
        'custom_attributes': custom_attributes
    }) }}
{% endmacro %}
