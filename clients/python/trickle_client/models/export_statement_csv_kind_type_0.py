from typing import Literal

ExportStatementCsvKindType0 = Literal["creator_earnings", "patron_wallet", "payouts_in_transit"]

EXPORT_STATEMENT_CSV_KIND_TYPE_0_VALUES: set[ExportStatementCsvKindType0] = {
    "creator_earnings",
    "patron_wallet",
    "payouts_in_transit",
}


def check_export_statement_csv_kind_type_0(value: str) -> ExportStatementCsvKindType0:
    if value in EXPORT_STATEMENT_CSV_KIND_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {EXPORT_STATEMENT_CSV_KIND_TYPE_0_VALUES!r}")
