-- claimtrack storage, version 9: a claim dated after its article's publication is kept on the
-- time axis only as a forecast its sentence dates ("will", "plans", "by 2030": data/vocab/
-- forecasts.yaml); `forecast` records that when the claim is extracted. Claims stored before
-- this version have null (not a forecast) until `claimtrack reextract --all`. Idempotent.
alter table claim_records add column if not exists forecast boolean;
