-- Report deadline rules for the major severities (I, II), most severe first: the duty desk quotes them.
SELECT severity, first_report_minutes, follow_up_hours, final_report_days
FROM report_rules
WHERE severity <= 2
ORDER BY severity;
