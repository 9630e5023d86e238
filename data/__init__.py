"""claimtrack's bundled data: the extractor's rule tables (``rules/``, ``metrics.yaml``) and
vocabularies (``vocab/``), the named sources (``sources.toml``) and the sample (``samples/``).
Located with ``importlib.resources`` (``claimtrack.transforms.rules.DATA_DIR``); no code here."""
