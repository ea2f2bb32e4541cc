//! Getting a run in and out: the URL codec, the series as CSV (one writer for the
//! command line and the page) and the JSON report.
