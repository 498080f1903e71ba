"""Exports: Shopify CSV written back into the merchant's own file, generic CSV and XLSX, formula
neutralisation, atomic writes, a full disk, encodings, and a round-trip property."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import fixtures_catalog as fx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.catalog import (
    ExportEncodingError,
    ExportError,
    export_csv,
    export_shopify,
    export_xlsx,
    neutralise,
    product_handles,
    product_row,
    read_products,
)

ROOT = Path(__file__).resolve().parents[1]
GENERATED = {
    "organic-tee": {
        "description": "Soft, breathable organic cotton.\n\n- Pre-shrunk\n- Fair trade",
        "seo_title": "Organic Cotton Tee | Leaf & Loom",
        "seo_description": "A breathable organic cotton tee, pre-shrunk and fair trade.",
        "tags": ["organic", "cotton", "tee"],
    },
}


def csv_cells(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.reader(fh))


def test_neutralise_rules():
    for value in ["=1+1", "+cmd", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx", "-", "=", "+ 5"]:
        assert neutralise(value) == "'" + value
    for value in ["-5", "+7.50", "-0.5", "3", "1e3", "-1E-3", "plain", "", "'quoted", " =1", "a=b", "<p>"]:
        assert neutralise(value) == value


def test_shopify_old_export_reimports_with_same_handles_and_rows(tmp_path):
    source = read_products(fx.shopify_old_csv(tmp_path))
    out = tmp_path / "out" / "shopify.csv"
    out.parent.mkdir()
    report = export_shopify(source, {**GENERATED, "no-such-handle": {"seo_title": "x"}}, out)
    assert report == {"rows": 5, "products": 2, "filled": 1, "unmatched": ["no-such-handle"]}

    again = read_products(out)
    assert again.format == "shopify-old"
    assert again.raw_header == fx.SHOPIFY_OLD_HEADER  # the merchant's own columns, in order
    assert [p.handle for p in again.products] == fx.SHOPIFY_OLD_HANDLES
    assert [len(p.source_rows) for p in again.products] == [4, 1]
    tee, bottle = again.products
    assert tee.fields["seo_title"] == GENERATED["organic-tee"]["seo_title"]
    assert tee.fields["seo_description"] == GENERATED["organic-tee"]["seo_description"]
    assert tee.fields["tags"] == "organic, cotton, tee"
    assert tee.fields["description"] == (
        "<p>Soft, breathable organic cotton.</p><ul><li>Pre-shrunk</li><li>Fair trade</li></ul>"
    )
    # generated fields go on the product's first row only; variant and image rows are unchanged
    for row in tee.source_rows[1:]:
        assert row["SEO Title"] == "" and row["Body (HTML)"] == "" and row["Tags"] == ""
    filled = {"Body (HTML)", "SEO Title", "SEO Description", "Tags"}
    for original, written in zip(fx.SHOPIFY_OLD_ROWS, again.rows, strict=True):
        for column, before, after in zip(fx.SHOPIFY_OLD_HEADER, original, written, strict=True):
            if column in filled and written is again.rows[0]:
                continue
            assert after == neutralise(before), column
    assert tee.source_rows[1]["Variant Inventory Qty"] == "-3"  # a plain negative number stays a number
    # the untouched product keeps its values, its formula-like Tags neutralised
    assert bottle.fields["tags"].startswith("'=HYPERLINK(")
    assert bottle.fields["seo_title"] == "Old SEO title"
    assert bottle.fields["description"] == "<p>Keeps drinks cold for 24 hours.</p>\r\n<p>=Leak-proof lid</p>"


def test_shopify_new_export_keeps_new_header_names(tmp_path):
    source = read_products(fx.shopify_new_csv(tmp_path))
    generated = {
        "linen-tablecloth": {
            "body_html": "<p>天然亚麻桌布</p>",
            "seo_title": "亚麻桌布",
            "seo_description": "可机洗",
        },
        "linen-shirt": {"seo_title": "Linen Shirt"},
    }
    out = tmp_path / "new.csv"
    assert export_shopify(source, generated, out)["filled"] == 2
    again = read_products(out)
    assert again.raw_header == fx.SHOPIFY_NEW_HEADER
    assert [p.handle for p in again.products] == fx.SHOPIFY_NEW_HANDLES
    assert [len(p.source_rows) for p in again.products] == [3, 2]
    shirt, cloth = again.products
    assert shirt.fields["description"] == "<p>Airy linen.</p>"  # not generated: kept
    assert shirt.fields["seo_title"] == "Linen Shirt"
    assert cloth.fields["description"] == "<p>天然亚麻桌布</p>"
    assert cloth.fields["seo_description"] == "可机洗"
    assert [r["SKU"] for r in shirt.source_rows] == ["LS-S", "LS-M", "LS-L"]


def test_shopify_export_adds_missing_seo_columns(tmp_path):
    path = tmp_path / "handmade.csv"
    path.write_text("Handle,Title,Body (HTML),Variant SKU,Variant Price\nmug,Mug,,M-1,9\n", encoding="utf-8")
    source = read_products(path)
    out = tmp_path / "filled.csv"
    export_shopify(source, {"mug": {"description": "A mug.", "seo_title": "Mug", "tags": "kitchen"}}, out)
    header, row = csv_cells(out)
    assert header == [
        "Handle",
        "Title",
        "Body (HTML)",
        "Variant SKU",
        "Variant Price",
        "SEO Title",
        "SEO Description",
        "Tags",
    ]
    assert row == ["mug", "Mug", "<p>A mug.</p>", "M-1", "9", "Mug", "", "kitchen"]


def test_marketplace_file_becomes_a_new_format_shopify_csv(tmp_path):
    source = read_products(fx.gbk_chinese_csv(tmp_path))
    handles = product_handles(source)
    assert handles == ["ts-001", "mug-02", "eye-7"]  # Chinese names give no ASCII slug: the SKU does
    out = tmp_path / "shopify_from_taobao.csv"
    export_shopify(source, {"mug-02": {"seo_title": "陶瓷马克杯"}}, out)
    again = read_products(out)
    assert again.format == "shopify-new"
    assert [p.handle for p in again.products] == handles
    assert [p.name for p in again.products] == [r[0] for r in fx.GBK_ROWS]
    assert again.products[1].fields["seo_title"] == "陶瓷马克杯"
    assert again.products[0].fields["description"] == "<p>精选新疆长绒棉<br>亲肤柔软</p>"
    assert {r["Status"] for p in again.products for r in p.source_rows} == {"draft"}


def test_formula_cells_are_neutralised_in_csv(tmp_path):
    out = tmp_path / "formulas.csv"
    assert export_csv(fx.FORMULA_ROWS, out) == 2
    header, *rows = csv_cells(out)
    assert header == ["name", "description", "price", "sku", "note"]
    assert rows == [
        ["'=1+1", "'+cmd|' /C calc'!A0", "-5", "'@SUM(A1)", "'\tTabbed"],
        ["'-2+3+cmd|' /C calc'!A0", "'\rreturn", "+7.50", "SKU-1", "plain"],
    ]


def test_formula_cells_are_text_cells_with_the_exact_text_in_xlsx(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "formulas.xlsx"
    rows = [*fx.FORMULA_ROWS, {"name": "Mug", "price": 9.5, "sku": "0012345", "note": "bad\x01char"},
            {"name": "-2+3", "description": "=HYPERLINK(\"http://x\")", "note": "@me"}]
    assert export_xlsx(rows, out) == 4
    sheet = load_workbook(out).active  # not data_only: a formula would show as "=..."
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["name", "description", "price", "sku", "note"]
    assert values[1] == ["=1+1", "+cmd|' /C calc'!A0", "-5", "@SUM(A1)", "\tTabbed"]
    # a carriage return is stored as the line feed XLSX readers give back anyway
    assert values[2] == ["-2+3+cmd|' /C calc'!A0", "\nreturn", "+7.50", "SKU-1", "plain"]
    assert values[3] == ["Mug", None, 9.5, "0012345", "badchar"]  # codes stay text; XML-illegal chars go
    assert values[4] == ["-2+3", '=HYPERLINK("http://x")', None, None, "@me"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    risky = [cell for cell in cells if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t"]
    assert len(risky) == 10 and all(cell.data_type == "s" and cell.quotePrefix for cell in risky)
    assert sheet["B4"].data_type == "n" and sheet["B4"].value is None and sheet["C4"].data_type == "n"
    # the file imports back through the reader, with the exact names
    again = read_products(out)
    assert [p.name for p in again.products] == ["=1+1", "-2+3+cmd|' /C calc'!A0", "Mug", "-2+3"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_generic_csv_encodings_round_trip(tmp_path, encoding):
    source = read_products(fx.gbk_chinese_csv(tmp_path))
    rows = [product_row(p) for p in source.products]
    out = tmp_path / f"products-{encoding}.csv"
    export_csv(rows, out, encoding=encoding)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    again = read_products(out)  # detected, not told
    assert again.encoding == {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gb18030": "gb18030"}[encoding]
    assert [p.fields for p in again.products] == [p.fields for p in source.products]


def test_unencodable_character_is_a_clear_error_and_nothing_is_written(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("previous export\n", encoding="utf-8")
    rows = [{"name": "ok"}, {"name": "ok"}, {"name": "bad \ud800 surrogate"}]
    for encoding in ("gb18030", "utf-8"):
        with pytest.raises(ExportEncodingError) as info:
            export_csv(rows, out, encoding=encoding)
        assert info.value.row == 4 and info.value.column == "name"
        assert encoding in info.value.en
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_bad_destination_and_encoding(tmp_path):
    with pytest.raises(ExportError):
        export_csv([{"a": "1"}], tmp_path / "missing-folder" / "x.csv")
    with pytest.raises(ExportError):
        export_csv([{"a": "1"}], tmp_path / "x.csv", encoding="latin-1")
    with pytest.raises(ExportError):
        export_xlsx([{"a": "x" * 40_000}], tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []


FULL_DISK = """
import resource, signal, sys
from desktop.core.catalog import DiskFullError, export_csv, export_xlsx
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG from write() instead of being killed
resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
rows = [{"name": "x" * 200, "n": str(i)} for i in range(5000)]
try:
    (export_xlsx if sys.argv[1].endswith(".xlsx") else export_csv)(rows, sys.argv[1])
except DiskFullError as exc:
    print(exc)
    sys.exit(3)
"""


@pytest.mark.parametrize("name", ["full.csv", "full.xlsx"])
def test_disk_full_stops_cleanly_and_keeps_the_old_file(tmp_path, name):
    out = tmp_path / name
    out.write_bytes(b"the previous export")
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 3, result.stderr
    assert "disk space" in result.stdout and "磁盘空间不足" in result.stdout
    assert out.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no partial temporary file left


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


# CI installs LibreOffice (.ci/run): there a missing one is a failure, never a skip.
@pytest.mark.skipif(not _soffice() and not os.environ.get("CI"), reason="LibreOffice not installed")
def test_exports_open_in_libreoffice_and_keep_every_column(tmp_path):
    soffice = _soffice()
    assert soffice, "LibreOffice is missing: .ci/run installs Debian's libreoffice-calc-nogui"
    source = read_products(fx.shopify_old_csv(tmp_path))
    shopify = tmp_path / "shopify.csv"
    export_shopify(source, GENERATED, shopify)
    xlsx = tmp_path / "generic.xlsx"
    export_xlsx(fx.FORMULA_ROWS, xlsx)
    converted = tmp_path / "converted"
    for path, infilter in ((shopify, ["--infilter=CSV:44,34,76,1"]), (xlsx, [])):
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation=file://{tmp_path}/lo",
                *infilter,
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76",
                "--outdir",
                str(converted),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    # every column of what we wrote is there after LibreOffice read it: the header, each row's width
    written, opened = csv_cells(shopify), csv_cells(converted / "shopify.csv")
    assert opened[0] == written[0]
    assert len(opened) == len(written) and all(len(row) == len(written[0]) for row in opened)
    back = read_products(converted / "shopify.csv")
    assert [p.handle for p in back.products] == fx.SHOPIFY_OLD_HANDLES
    assert [len(p.values) for p in back.products] == [4, 1]
    assert back.products[0].fields["seo_title"] == GENERATED["organic-tee"]["seo_title"]
    cells = csv_cells(converted / "generic.csv")
    assert cells[0] == list(fx.FORMULA_ROWS[0])  # every column of the XLSX, in order
    assert len(cells) == 1 + len(fx.FORMULA_ROWS) and all(len(row) == len(cells[0]) for row in cells)
    assert "=1+1" in cells[1][0] and cells[1][0] != "2"  # kept as text, never computed


# --- property: any table of strings survives export_csv and the reader -------------------------------------
_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=20)
_key = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00\ufeff"),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip())


@st.composite
def tables(draw):
    keys = draw(st.lists(_key, min_size=1, max_size=5, unique_by=neutralise))
    rows = draw(st.lists(st.lists(_text, min_size=len(keys), max_size=len(keys)), min_size=1, max_size=8))
    return keys, rows


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=tables(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_any_table_round_trips_through_export_csv_and_the_reader(tmp_path, table, encoding):
    keys, rows = table
    out = tmp_path / "table.csv"
    export_csv([dict(zip(keys, row, strict=True)) for row in rows], out, encoding=encoding)
    # GB18030 is told: auto-detection of GB18030 rightly refuses random non-Chinese text
    result = read_products(out, encoding="gb18030" if encoding == "gb18030" else None)
    assert result.delimiter == ","
    assert result.raw_header == [neutralise(k) for k in keys]
    assert result.rows == [[neutralise(v.replace("\x00", "")) for v in row] for row in rows]
