"""Builders for the product files merchants actually hand us. Each writes into a folder the test owns
(tmp_path) and returns the path; the constants next to them are what a correct import must find."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

# --- Chinese Excel "CSV": GBK, commas, Chinese headers, a quoted multi-line description ----------------
GBK_HEADER = ["宝贝名称", "宝贝卖点", "价格", "材质", "颜色分类", "尺码", "商家编码", "品牌", "类目",
              "宝贝描述", "关键词", "库存"]
GBK_ROWS = [
    ["纯棉短袖T恤 男士夏季", "透气吸汗,不起球", "59.00", "100%棉", "白色;黑色", "M;L;XL", "TS-001", "棉语",
     "男装/T恤", "精选新疆长绒棉\n亲肤柔软", "T恤,纯棉,夏季", "120"],
    ["陶瓷马克杯 大容量", "耐高温,可微波", "39.90", "陶瓷", "米白", "400ml", "MUG-02", "器匠", "家居/杯子",
     "手工釉面,每只都不同", "马克杯,陶瓷杯", "35"],
    ["真丝眼罩", "遮光,助眠", "89.00", "桑蚕丝", "香槟色", "均码", "EYE-7", "眠", "个护/眼罩",
     "22姆米真丝", "眼罩,真丝",
     "8"],
]


def gbk_chinese_csv(folder: Path, name: str = "taobao_gbk.csv") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # Excel's CSV: commas, CRLF, quotes only where needed
    writer.writerow(GBK_HEADER)
    writer.writerows(GBK_ROWS)
    path = folder / name
    path.write_bytes(buffer.getvalue().encode("gbk"))
    return path


# --- Excel "CSV UTF-8" in a European locale: BOM, semicolons, decimal commas ----------------------------
SEMICOLON_HEADER = ["Product Name", "Description", "Features", "Price", "Material", "Colour", "Size", "SKU",
                    "Brand", "Category", "Keywords", "Audience", "Internal note"]
SEMICOLON_ROWS = [
    ["Wool scarf", "Warm; soft; long", "Hand-knitted", "29,90", "Merino wool", "Grey", "One size", "SC-01",
     "Nordwind", "Accessories", "scarf, wool", "commuters", "reorder in May"],
    ["Café mug", "Stoneware mug, 350 ml", "Dishwasher safe", "12,50", "Stoneware", "Blue", "350 ml", "MU-02",
     "Nordwind", "Kitchen", "mug", "coffee lovers", ""],
]


def utf8_bom_semicolon_csv(folder: Path, name: str = "excel_utf8_semicolon.csv") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(SEMICOLON_HEADER)
    writer.writerows(SEMICOLON_ROWS)
    path = folder / name
    path.write_bytes(codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8"))
    return path


# --- Excel "Unicode text": UTF-16 LE with a BOM, tab-separated ---------------------------------------------
TAB_HEADER = ["title", "description", "price", "color", "sku", "barcode"]
TAB_ROWS = [
    ["Bamboo toothbrush 竹牙刷", "Biodegradable handle, soft bristles", "4.99", "natural", "TB-1",
     "06901234567892"],
    ["Linen apron 亚麻围裙", "Adjustable straps,\ntwo pockets", "24.00", "sand", "AP-2", "06901234567908"],
]


def utf16_tab_txt(folder: Path, name: str = "unicode_text.txt") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t")
    writer.writerow(TAB_HEADER)
    writer.writerows(TAB_ROWS)
    path = folder / name
    path.write_bytes(codecs.BOM_UTF16_LE + buffer.getvalue().encode("utf-16-le"))
    return path


# --- Shopify, older header set: variants and image rows share a Handle; Body (HTML) spans lines ---------
SHOPIFY_OLD_HEADER = [
    "Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
    "Option1 Name",
    "Option1 Value", "Option2 Name", "Option2 Value", "Option3 Name", "Option3 Value", "Variant SKU",
    "Variant Grams", "Variant Inventory Tracker", "Variant Inventory Qty", "Variant Inventory Policy",
    "Variant Fulfillment Service", "Variant Price", "Variant Compare At Price", "Variant Requires Shipping",
    "Variant Taxable", "Variant Barcode", "Image Src", "Image Position", "Image Alt Text", "Gift Card",
    "SEO Title", "SEO Description", "Google Shopping / Google Product Category", "Variant Image",
    "Variant Weight Unit", "Variant Tax Code", "Cost per item", "Status",
]


def _old_row(**values: str) -> list[str]:
    return [values.get(column, "") for column in SHOPIFY_OLD_HEADER]


SHOPIFY_OLD_ROWS = [
    _old_row(**{"Handle": "organic-tee", "Title": "Organic Cotton Tee",
                "Body (HTML)": "<p>Soft organic "
                "cotton.</p>\n<ul>\n<li>Breathable</li>\n<li>Pre-shrunk</li>\n</ul>",
                "Vendor": "Leaf & Loom",
                "Product Category": "Apparel & Accessories > Clothing > Shirts & Tops",
                "Type": "T-Shirt", "Tags": "cotton, organic, summer", "Published": "TRUE",
                "Option1 Name": "Size",
                "Option1 Value": "S", "Option2 Name": "Color", "Option2 Value": "White",
                "Variant SKU": "TEE-S-W",
                "Variant Grams": "180", "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "12",
                "Variant Inventory Policy": "deny", "Variant Fulfillment Service": "manual",
                "Variant Price": "25.00",
                "Variant Compare At Price": "30.00", "Variant Requires Shipping": "TRUE",
                "Variant Taxable": "TRUE",
                "Variant Barcode": "0012345678905", "Image Src": "https://cdn.example/tee-white.jpg",
                "Image Position": "1", "Image Alt Text": "White tee", "Gift Card": "FALSE",
                "Status": "active"}),
    _old_row(**{"Handle": "organic-tee", "Option1 Value": "M", "Option2 Value": "White",
                "Variant SKU": "TEE-M-W",
                "Variant Grams": "190", "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "-3",
                "Variant Inventory Policy": "continue", "Variant Fulfillment Service": "manual",
                "Variant Price": "25.00", "Variant Requires Shipping": "TRUE", "Variant Taxable": "TRUE",
                "Variant Barcode": "0012345678912", "Image Src": "https://cdn.example/tee-back.jpg",
                "Image Position": "2"}),
    _old_row(**{"Handle": "organic-tee", "Option1 Value": "M", "Option2 Value": "Black",
                "Variant SKU": "TEE-M-B",
                "Variant Grams": "190", "Variant Inventory Qty": "0", "Variant Price": "27.00",
                "Variant Barcode": "0012345678929"}),
    # An image-only row, as Shopify writes for a product's third picture.
    _old_row(**{"Handle": "organic-tee", "Image Src": "https://cdn.example/tee-detail.jpg",
                "Image Position": "3"}),
    _old_row(**{"Handle": "steel-bottle", "Title": "Steel Bottle 750 ml",
                "Body (HTML)": "<p>Keeps drinks cold for 24 hours.</p>\r\n<p>=Leak-proof lid</p>",
                "Vendor": "Hydra",
                "Type": "Bottle", "Tags": "=HYPERLINK(\"http://evil.example\",\"click\")",
                "Published": "TRUE",
                "Option1 Name": "Title", "Option1 Value": "Default Title", "Variant SKU": "6.90123E+12",
                "Variant Grams": "320", "Variant Inventory Qty": "40", "Variant Price": "19.50",
                "Variant Barcode": "", "Image Src": "https://cdn.example/bottle.jpg", "Image Position": "1",
                "Gift Card": "FALSE", "SEO Title": "Old SEO title", "Status": "draft"}),
]
SHOPIFY_OLD_HANDLES = ["organic-tee", "steel-bottle"]


def shopify_old_csv(folder: Path, name: str = "products_export_old.csv") -> Path:
    path = folder / name
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(SHOPIFY_OLD_HEADER)
        writer.writerows(SHOPIFY_OLD_ROWS)
    return path


# --- Shopify, newer header set ------------------------------------------------------------------------------
SHOPIFY_NEW_HEADER = [
    "Title", "URL handle", "Description", "Vendor", "Product category", "Type", "Tags",
    "Published on online store",
    "Status", "SKU", "Barcode", "Option1 name", "Option1 value", "Option1 Linked To", "Option2 name",
    "Option2 value", "Option2 Linked To", "Price", "Compare-at price", "Cost per item", "Charge tax",
    "Inventory tracker", "Inventory quantity", "Continue selling when out of stock", "Weight value (grams)",
    "Weight unit for display", "Requires shipping", "Fulfillment service", "Product image URL",
    "Image position",
    "Image alt text", "Variant image URL", "Gift card", "SEO title", "SEO description",
]


def _new_row(**values: str) -> list[str]:
    return [values.get(column, "") for column in SHOPIFY_NEW_HEADER]


SHOPIFY_NEW_ROWS = [
    _new_row(**{"Title": "Linen Shirt", "URL handle": "linen-shirt", "Description": "<p>Airy linen.</p>",
                "Vendor": "Flax Co", "Type": "Shirt", "Tags": "linen, summer",
                "Published on online store": "TRUE",
                "Status": "Active", "SKU": "LS-S", "Option1 name": "Size", "Option1 value": "S",
                "Price": "49.00",
                "Compare-at price": "59.00", "Inventory quantity": "4",
                "Product image URL": "https://cdn.example/ls.jpg",
                "Image position": "1"}),
    _new_row(**{"URL handle": "linen-shirt", "SKU": "LS-M", "Option1 value": "M", "Price": "49.00",
                "Inventory quantity": "7"}),
    _new_row(**{"URL handle": "linen-shirt", "SKU": "LS-L", "Option1 value": "L", "Price": "52.00",
                "Inventory quantity": "0"}),
    _new_row(**{"Title": "亚麻桌布", "URL handle": "linen-tablecloth", "Description": "天然亚麻,\n可机洗。",
                "Vendor": "Flax Co", "Type": "桌布", "Status": "Draft", "SKU": "TC-1", "Option1 name": "颜色",
                "Option1 value": "米色", "Price": "35.00"}),
    _new_row(**{"URL handle": "linen-tablecloth", "SKU": "TC-2", "Option1 value": "灰色", "Price": "35.00"}),
]
SHOPIFY_NEW_HANDLES = ["linen-shirt", "linen-tablecloth"]


def shopify_new_csv(folder: Path, name: str = "products_export_new.csv") -> Path:
    path = folder / name
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(SHOPIFY_NEW_HEADER)
        writer.writerows(SHOPIFY_NEW_ROWS)
    return path


# --- Cells a spreadsheet would run --------------------------------------------------------------------------
FORMULA_ROWS = [
    {"name": "=1+1", "description": "+cmd|' /C calc'!A0", "price": "-5", "sku": "@SUM(A1)",
     "note": "\tTabbed"},
    {"name": "-2+3+cmd|' /C calc'!A0", "description": "\rreturn", "price": "+7.50", "sku": "SKU-1",
     "note": "plain"},
]


# --- Broken files -------------------------------------------------------------------------------------------
def unterminated_quote_csv(folder: Path) -> Path:
    path = folder / "unterminated.csv"
    path.write_text('name,price\nMug,9.50\nBottle,19.50\n"Scarf with a quote,29.90\nHat,15.00\n',
                    encoding="utf-8")
    return path


def text_after_quote_csv(folder: Path) -> Path:
    path = folder / "text_after_quote.csv"
    path.write_text('name,price\nMug,9.50\n"Bottle" large,19.50\n', encoding="utf-8")
    return path


def nul_byte_csv(folder: Path) -> Path:
    path = folder / "nul.csv"
    path.write_bytes(b"name,price\nMug,9.50\nBottle,19.50\nSca\x00rf,29.90\n")
    return path


def undecodable_csv(folder: Path) -> Path:
    """Windows-1252 text: not UTF-8, and as GB18030 it decodes only into rare, meaningless characters."""
    path = folder / "cp1252.csv"
    text = "name,description\nCrème brûlée set,Ramekins for crème brûlée\nPâté knife,Façonné à la main\n"
    path.write_bytes(text.encode("cp1252"))
    return path


# --- Excel damage: scientific notation, lost leading zeros, ".0" ------------------------------------------
SCI_HEADER = ["name", "sku", "barcode", "price"]
SCI_ROWS = [
    ["Bowl", "6.90123E+12", "4006381333931", "8.00"],
    ["Plate", "6901234567890", "400638133393", "9.00"],  # EAN-13 that lost its leading zero? (12 digits)
    ["Cup", "6901234567891.0", "4006381333948", "5.00"],
    ["Saucer", "690123456789", "0400638133395", "4.00"],
    ["Jug", "6.90123E+12", "4006381333962", "12.00"],
    ["Tray", "6901234567894", "4006381333979", "15.00"],
]


def sci_notation_csv(folder: Path) -> Path:
    path = folder / "excel_damage.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(SCI_HEADER)
        writer.writerows(SCI_ROWS)
    return path


# --- XLSX made by openpyxl ----------------------------------------------------------------------------------
XLSX_HEADER = ["商品标题", "卖点", "售价", "颜色", "货号", "条形码", "备注"]


def products_xlsx(folder: Path, name: str = "products.xlsx") -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "商品"
    sheet.append(XLSX_HEADER)
    sheet.append(["羊毛围巾", "保暖,柔软", 129.0, "灰色", "WJ-01", "6901234567892", "秋冬款"])
    sheet.append(["帆布包", "大容量\n耐磨", 79.5, "卡其", 10023, 6901234567908, None])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["保温杯", "24小时保冷", 99, "黑色", "BW-3", 6.901234567915e12, "注意防潮"])
    sheet["F5"].number_format = "0.00E+00"  # what the merchant saw: 6.90E+12
    other = workbook.create_sheet("说明")
    other.append(["这是说明页"])
    path = folder / name
    workbook.save(path)
    return path


XLSX_NAMES = ["羊毛围巾", "帆布包", "保温杯"]


# --- Too many rows ------------------------------------------------------------------------------------------
def many_rows_csv(folder: Path, rows: int) -> Path:
    """A large CSV written in chunks, never built in memory."""
    path = folder / f"rows_{rows}.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("sku,name,price\n")
        chunk = 10_000
        for start in range(0, rows, chunk):
            fh.write("".join(f"S{i},Item {i},{i % 100}.99\n" for i in range(start, min(rows, start + chunk))))
    return path
