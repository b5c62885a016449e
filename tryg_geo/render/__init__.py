"""Output from a View: folium maps, Altair charts, the CSV and PNG snapshots and the pack."""
