# English pages of a Vietnamese portal: dates are still written dd/mm/yyyy, as every date field
# asks (DateInput's placeholder) and as Vietnamese documents write them. Django's own "en"
# locale reads 05/03/2020 as 3 May, which would silently change a date saved in English.
from portal.formats.vi.formats import (  # noqa: F401
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
    FIRST_DAY_OF_WEEK,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)

# Numbers keep the English separators: 1,234.5.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
