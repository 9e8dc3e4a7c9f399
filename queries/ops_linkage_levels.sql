-- Linkage levels (一级/二级/三级联动) with their labels in both UI languages, for the dispatch panel.
-- Parameters: none.
SELECT level, name_zh, name_en FROM linkage_levels ORDER BY level;
