-- Built once after the bulk load. R-trees where queries filter by place ("what is near this incident").
CREATE INDEX townships_geom_rtree ON townships USING RTREE (geom);
CREATE INDEX grid_cells_geom_rtree ON grid_cells USING RTREE (geom);
CREATE INDEX villages_geom_rtree ON villages USING RTREE (geom);
CREATE INDEX cameras_geom_rtree ON cameras USING RTREE (geom);
CREATE INDEX rescue_teams_geom_rtree ON rescue_teams USING RTREE (geom);
CREATE INDEX shelters_geom_rtree ON shelters USING RTREE (geom);
CREATE INDEX sensors_geom_rtree ON sensors USING RTREE (geom);
CREATE INDEX geo_hazard_points_geom_rtree ON geo_hazard_points USING RTREE (geom);
CREATE INDEX incidents_geom_rtree ON incidents USING RTREE (geom);
CREATE INDEX dispatches_incident ON dispatches (incident_id);
CREATE INDEX info_reports_incident ON info_reports (incident_id);
