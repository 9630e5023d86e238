"""The dashboard's assets: ``template.html``, ``app.js``, ``app.css`` and the vendored uPlot build,
inlined into the page by ``claimtrack.transforms.dashboard``; no code here."""
