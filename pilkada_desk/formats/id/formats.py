# One format for each thing on every page, message and printout: "27 November 2024", "20.00 WITA".
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H.i T"
DATETIME_FORMAT = "j F Y H.i T"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y H.i T"
