"""Importing product files as merchants have them: encodings, delimiters, headers, Shopify variant
groups, Excel damage, broken files and limits. Every fixture file is built in tmp_path."""

from __future__ import annotations

import tracemalloc

import fixtures_catalog as fx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.catalog import (
    CatalogImportError,
    FileTooLargeError,
    MalformedFileError,
    MappingError,
    TooManyRowsError,
    UnknownEncodingError,
    read_products,
    remap,
)
from desktop.core.errors import ImportFileError, ShopscribeError


def codes(result) -> list[str]:
    return [w.code for w in result.warnings]


def test_gbk_csv_with_chinese_headers(tmp_path):
    result = read_products(fx.gbk_chinese_csv(tmp_path))
    assert result.encoding == "gb18030"
    assert result.delimiter == ","
    assert result.format == "taobao"
    assert result.header == fx.GBK_HEADER
    assert result.mapping["宝贝名称"] == "name"
    assert result.mapping["宝贝卖点"] == "features"
    assert result.mapping["颜色分类"] == "color"
    assert result.mapping["商家编码"] == "sku"
    assert result.mapping["宝贝描述"] == "description"
    assert result.mapping["库存"] is None
    assert len(result.products) == len(fx.GBK_ROWS)
    first = result.products[0]
    assert first.name == "纯棉短袖T恤 男士夏季"
    assert first.fields["description"] == "精选新疆长绒棉\n亲肤柔软"  # the quoted line break survives
    assert first.fields["price"] == "59.00"
    assert first.extra == {"库存": "120"}
    assert [p.sku for p in result.products] == ["TS-001", "MUG-02", "EYE-7"]


def test_utf8_bom_with_semicolons(tmp_path):
    result = read_products(fx.utf8_bom_semicolon_csv(tmp_path))
    assert result.encoding == "utf-8-sig"
    assert result.delimiter == ";"
    assert result.format == "generic"
    assert result.header[0] == "Product Name"  # no BOM left in the first header
    assert result.mapping["Product Name"] == "name"
    assert result.mapping["Colour"] == "color"
    assert result.mapping["Audience"] == "audience"
    assert result.mapping["Internal note"] is None
    assert [p.name for p in result.products] == ["Wool scarf", "Café mug"]
    assert result.products[0].fields["description"] == "Warm; soft; long"  # quoted delimiter kept
    assert result.products[0].fields["price"] == "29,90"
    assert result.products[0].extra == {"Internal note": "reorder in May"}
    assert result.products[1].extra == {}


def test_utf16_tab_separated_unicode_text(tmp_path):
    result = read_products(fx.utf16_tab_txt(tmp_path))
    assert result.encoding == "utf-16-le"
    assert result.delimiter == "\t"
    assert [p.name for p in result.products] == [r[0] for r in fx.TAB_ROWS]
    assert result.products[1].fields["description"] == "Adjustable straps,\ntwo pockets"
    assert result.products[0].fields["barcode"] == "06901234567892"  # text keeps its leading zero


def test_shopify_old_export_groups_variants_and_images(tmp_path):
    result = read_products(fx.shopify_old_csv(tmp_path))
    assert result.format == "shopify-old"
    assert result.raw_header == fx.SHOPIFY_OLD_HEADER
    assert len(result.rows) == len(fx.SHOPIFY_OLD_ROWS)
    assert [p.handle for p in result.products] == fx.SHOPIFY_OLD_HANDLES
    tee, bottle = result.products
    assert tee.row_numbers == [2, 3, 4, 5]
    assert len(tee.source_rows) == 4 and len(bottle.source_rows) == 1
    assert tee.source_rows[3]["Image Src"] == "https://cdn.example/tee-detail.jpg"
    assert tee.name == "Organic Cotton Tee"
    assert tee.fields["description"].startswith("<p>Soft organic cotton.</p>\n<ul>")
    assert tee.fields["sku"] == "TEE-S-W"
    assert tee.fields["price"] == "25.00"
    assert tee.fields["size"] == "S, M"
    assert tee.fields["color"] == "White, Black"
    assert tee.fields["category"] == "T-Shirt"
    assert tee.extra["Product Category"].startswith("Apparel")
    assert bottle.fields["seo_title"] == "Old SEO title"
    # nothing lost: every cell of every row is in exactly one product's source rows
    cells = sorted(v for p in result.products for row in p.source_rows for v in row.values())
    assert cells == sorted(v for row in fx.SHOPIFY_OLD_ROWS for v in row)
    # the Excel-damaged SKU of the bottle is flagged with its row
    sci = [w for w in result.warnings if w.code == "sci-notation"]
    assert [(w.row, w.column, w.value) for w in sci] == [(6, "Variant SKU", "6.90123E+12")]


def test_shopify_new_export(tmp_path):
    result = read_products(fx.shopify_new_csv(tmp_path))
    assert result.format == "shopify-new"
    assert result.mapping["URL handle"] == "handle"
    assert result.mapping["Description"] == "description"
    assert result.mapping["Product image URL"] == "image"
    assert result.mapping["SEO title"] == "seo_title"
    assert [p.handle for p in result.products] == fx.SHOPIFY_NEW_HANDLES
    shirt, cloth = result.products
    assert len(shirt.source_rows) == 3 and len(cloth.source_rows) == 2
    assert shirt.fields["size"] == "S, M, L"
    assert cloth.fields["color"] == "米色, 灰色"  # an option named 颜色
    assert cloth.fields["description"] == "天然亚麻,\n可机洗。"


def test_xlsx_import(tmp_path):
    result = read_products(fx.products_xlsx(tmp_path))
    assert result.file_type == "xlsx"
    assert result.encoding is None and result.delimiter is None
    assert [p.name for p in result.products] == fx.XLSX_NAMES
    scarf, bag, cup = result.products
    assert scarf.fields["price"] == "129"  # 129.0 shows as 129
    assert bag.fields["features"] == "大容量\n耐磨"
    assert bag.fields["sku"] == "10023"
    assert bag.fields["barcode"] == "6901234567908"
    assert cup.row_numbers == [5]  # the blank row 4 is skipped, numbering is the sheet's
    assert "other-sheets" in codes(result)
    sci = [w for w in result.warnings if w.code == "sci-notation"]
    assert [(w.row, w.column) for w in sci] == [(5, "条形码")]


def test_excel_damage_warnings_name_rows(tmp_path):
    result = read_products(fx.sci_notation_csv(tmp_path))
    found = {(w.code, w.row, w.column) for w in result.warnings}
    assert ("sci-notation", 2, "sku") in found
    assert ("sci-notation", 6, "sku") in found
    assert ("float-suffix", 4, "sku") in found
    assert ("leading-zeros", 3, "barcode") in found  # 12 digits in a 13-digit column
    assert ("leading-zeros", 5, "sku") in found
    assert not any(w.row == 5 and w.column == "barcode" for w in result.warnings)  # 13 digits: fine
    for warning in result.warnings:
        assert warning.en and warning.zh
    assert len(result.products) == len(fx.SCI_ROWS)  # warnings never drop a product


def test_user_corrects_the_mapping(tmp_path):
    path = fx.utf8_bom_semicolon_csv(tmp_path)
    result = read_products(path, mapping={"Internal note": "keywords", "Keywords": None})
    assert result.products[0].fields["keywords"] == "reorder in May"
    assert result.products[0].extra["Keywords"] == "scarf, wool"
    again = remap(read_products(path), {"Internal note": "keywords", "Keywords": None})
    assert [p.fields for p in again.products] == [p.fields for p in result.products]
    with pytest.raises(MappingError):
        read_products(path, mapping={"No such column": "name"})
    with pytest.raises(MappingError):
        read_products(path, mapping={"Internal note": "colour_of_sky"})


def test_unterminated_quote_names_the_row(tmp_path):
    with pytest.raises(MalformedFileError) as info:
        read_products(fx.unterminated_quote_csv(tmp_path))
    assert info.value.row == 4
    assert "row 4" in info.value.en and "第 4 行" in info.value.zh
    assert isinstance(info.value, ImportFileError) and isinstance(info.value, ShopscribeError)


def test_text_after_closing_quote_is_refused(tmp_path):
    with pytest.raises(MalformedFileError) as info:
        read_products(fx.text_after_quote_csv(tmp_path))
    assert info.value.row == 3


def test_nul_byte_names_the_row(tmp_path):
    with pytest.raises(MalformedFileError) as info:
        read_products(fx.nul_byte_csv(tmp_path))
    assert info.value.row == 4
    assert "NUL" in info.value.en


def test_undecodable_bytes_ask_the_user_with_a_preview(tmp_path):
    path = fx.undecodable_csv(tmp_path)
    with pytest.raises(UnknownEncodingError) as info:
        read_products(path)
    error = info.value
    assert error.line == 2
    assert "Crème brûlée set" in error.previews["cp1252"]
    assert "name,description" in error.preview
    # the user picks the encoding the preview shows correctly
    result = read_products(path, encoding="cp1252")
    assert [p.name for p in result.products] == ["Crème brûlée set", "Pâté knife"]


def test_forced_wrong_encoding_is_a_clear_error(tmp_path):
    with pytest.raises(CatalogImportError) as info:
        read_products(fx.gbk_chinese_csv(tmp_path), encoding="utf-8")
    assert "utf-8" in str(info.value)
    with pytest.raises(CatalogImportError):
        read_products(fx.gbk_chinese_csv(tmp_path), encoding="no-such-codec")


def test_gbk_characters_deep_in_the_file_are_found(tmp_path):
    """The head is pure ASCII; the Chinese (GBK) text starts after the 128 KB detection sample."""
    path = tmp_path / "late_gbk.csv"
    lines = ["name,sku"] + [f"Item {i},S{i}" for i in range(12_000)] + ["保温杯,BW-1"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    assert path.stat().st_size > 128 * 1024
    result = read_products(path)
    assert result.encoding == "gb18030"
    assert result.products[-1].name == "保温杯"
    assert len(result.products) == 12_001


def test_title_rows_above_the_header_are_skipped(tmp_path):
    path = tmp_path / "titled.csv"
    path.write_text("商品清单 2024\n\n标题,价格,货号\n围巾,99,WJ-1\n", encoding="utf-8")
    result = read_products(path)
    assert result.header == ["标题", "价格", "货号"]
    assert [p.name for p in result.products] == ["围巾"]
    assert result.products[0].row_numbers == [4]
    assert "skipped-rows" in codes(result)


def test_duplicate_blank_and_ragged_columns(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text("name,price,name,\nMug,9,Tasse,x\nCup,5,Tasse,,extra\n", encoding="utf-8")
    result = read_products(path)
    assert result.header == ["name", "price", "name (2)", "Column 4"]
    assert result.raw_header == ["name", "price", "name", ""]
    assert result.rows[1] == ["Cup", "5", "Tasse", "", "extra"]  # extra cell kept for export
    assert {"duplicate-column", "ragged-row"} <= set(codes(result))


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CatalogImportError):
        read_products(empty)
    with pytest.raises(CatalogImportError):
        read_products(tmp_path / "missing.csv")
    blank = tmp_path / "blank.csv"
    blank.write_text(",,\n,,\n", encoding="utf-8")
    with pytest.raises(CatalogImportError):
        read_products(blank)


def test_old_xls_and_html_disguised_as_xls_are_explained(tmp_path):
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(CatalogImportError, match="xls"):
        read_products(xls)
    html = tmp_path / "export.xls"
    html.write_text("<html><body><table><tr><td>标题</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(CatalogImportError, match="web page"):
        read_products(html)


def test_broken_xlsx(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"not really a zip" * 10)
    with pytest.raises(CatalogImportError, match="XLSX"):
        read_products(path)


def test_file_size_limit(tmp_path):
    path = fx.many_rows_csv(tmp_path, 2000)
    with pytest.raises(FileTooLargeError) as info:
        read_products(path, max_bytes=10_000)
    assert "MB" in info.value.en


def test_row_limit_on_csv_and_xlsx(tmp_path):
    path = fx.many_rows_csv(tmp_path, 51)
    assert len(read_products(path, max_rows=51).products) == 51
    with pytest.raises(TooManyRowsError):
        read_products(path, max_rows=50)
    with pytest.raises(TooManyRowsError):
        read_products(fx.products_xlsx(tmp_path), max_rows=2)


@pytest.mark.slow
def test_a_million_rows_are_refused_without_holding_them(tmp_path):
    path = fx.many_rows_csv(tmp_path, 1_000_000)
    size = path.stat().st_size
    assert size > 20_000_000
    tracemalloc.start()
    try:
        with pytest.raises(TooManyRowsError) as info:
            read_products(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "200,000" in info.value.en
    # Validation streams: the peak stays far below the file itself, let alone its rows as objects.
    assert peak < size / 4, f"peak {peak:,} bytes for a {size:,}-byte file"


def test_big5_is_not_mistaken_for_gbk(tmp_path):
    path = tmp_path / "big5.csv"
    path.write_bytes("商品名稱,價格,顏色\n純棉短袖T恤,59,白色\n陶瓷馬克杯 大容量,39,米白\n".encode("big5"))
    with pytest.raises(UnknownEncodingError) as info:
        read_products(path)
    assert "陶瓷馬克杯" in info.value.previews["big5"]
    result = read_products(path, encoding="big5")
    assert [p.name for p in result.products] == ["純棉短袖T恤", "陶瓷馬克杯 大容量"]


def test_progress_reports_and_cancels(tmp_path):
    path = fx.many_rows_csv(tmp_path, 25_000)
    seen = []
    result = read_products(path, progress=lambda stage, rows: seen.append((stage, rows)))
    assert seen == [("checking", 10_000), ("checking", 20_000), ("reading", 10_000), ("reading", 20_000)]
    summary = result.summary()
    assert summary["rows"] == summary["products"] == 25_000
    assert summary["mapping"] == {"sku": "sku", "name": "name", "price": "price"}

    class Cancelled(Exception):
        pass

    def cancel(stage, rows):
        raise Cancelled

    with pytest.raises(Cancelled):
        read_products(path, progress=cancel)


def test_a_100000_character_field_imports_whole(tmp_path):
    path = tmp_path / "long.csv"
    long_text = "柔软亲肤的纯棉面料。" * 10_000
    path.write_text(f'name,description\nTee,"{long_text}"\n', encoding="utf-8")
    assert read_products(path).products[0].fields["description"] == long_text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.lists(
            st.sampled_from(
                [
                    b"a",
                    b",",
                    b";",
                    b"\t",
                    b'"',
                    b"\n",
                    b"\r",
                    b"\x00",
                    b"\xff",
                    b"\xe4\xb8\xad",
                    b"\xd6\xd0",
                    b"=1",
                    b" ",
                ]
            ),
            max_size=80,
        ).map(b"".join),
    ),
    suffix=st.sampled_from([".csv", ".tsv", ".xlsx"]),
)
def test_any_bytes_either_import_or_fail_with_an_import_error(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        result = read_products(path)
    except ImportFileError as exc:
        assert exc.en and exc.zh  # a message in both languages, never a traceback
        return
    assert len(result.rows) == len(result.row_numbers)
    assert sum(len(p.values) for p in result.products) <= len(result.rows)
