"""Vietnamese formats: dd/mm/yyyy and the decimal comma, as the official documents write."""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
# "13:21 ngày 06/12/2026", so that a sentence reads "lúc 13:21 ngày 06/12/2026"
DATETIME_FORMAT = r"H:i \n\g\à\y d/m/Y"
SHORT_DATETIME_FORMAT = r"H:i \n\g\à\y d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
