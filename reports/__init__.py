"""Documents and files built from named queries: tabular exports (CSV, Excel, GeoJSON), streamed in batches."""
