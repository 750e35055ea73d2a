-- 019_user_report_cues: a user's report of a failure says why it is one. `category` is symptom
-- (a failure described in plain words) or pasted_output (a traceback, CI log or error output);
-- `cues` is JSON {"category": …, "rules": [rule ids]} naming the rules of
-- ingest/rules/user_report.toml and not_a_report.toml that fired, so a finding opened by the
-- report can be explained. A prompt keeps the rules that dismissed its failure words (a
-- template, a request …) in its own `cues`.
ALTER TABLE fact_user_reports ADD COLUMN category VARCHAR;
ALTER TABLE fact_user_reports ADD COLUMN cues VARCHAR;
ALTER TABLE fact_prompts ADD COLUMN cues VARCHAR;
