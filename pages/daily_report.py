"""daily report page (its own issue builds it out)."""
from ui import placeholder

placeholder.render("daily_report", ["incidents","info_reports","duty_roster","reservoirs"])
