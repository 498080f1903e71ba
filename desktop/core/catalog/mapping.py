"""Which column holds which product field: Shopify's two header sets, Chinese marketplace headers,
generic English headers. The user can correct the result (see reader.read_products(mapping=...))."""

from __future__ import annotations

import functools
import re

from desktop.core.catalog.errors import MappingError
from desktop.core.catalog.model import FIELDS

# Shopify's older export header set -> field. Columns not listed stay in `extra` (and are written back
# untouched on export). "Type" is the merchant's own word for the product; "Product Category" is
# Shopify's taxonomy path, kept as an extra column.
SHOPIFY_OLD: dict[str, str] = {
    "handle": "handle",
    "title": "name",
    "body (html)": "description",
    "vendor": "vendor",
    "type": "category",
    "tags": "tags",
    "variant sku": "sku",
    "variant price": "price",
    "variant barcode": "barcode",
    "image src": "image",
    "seo title": "seo_title",
    "seo description": "seo_description",
}

# The newer header set (Shopify admin exports since 2024): renamed columns, same structure.
SHOPIFY_NEW: dict[str, str] = {
    "url handle": "handle",
    "title": "name",
    "description": "description",
    "vendor": "vendor",
    "type": "category",
    "tags": "tags",
    "sku": "sku",
    "price": "price",
    "barcode": "barcode",
    "product image url": "image",
    "seo title": "seo_title",
    "seo description": "seo_description",
}

SHOPIFY_OLD_MARKERS = {
    "body (html)",
    "variant sku",
    "variant price",
    "option1 name",
    "image src",
    "variant grams",
}

# Where Shopify writes generated text, by header set: field -> column.
SHOPIFY_OUTPUT_COLUMNS: dict[str, dict[str, str]] = {
    "shopify-old": {
        "name": "Title",
        "description": "Body (HTML)",
        "seo_title": "SEO Title",
        "seo_description": "SEO Description",
        "tags": "Tags",
    },
    "shopify-new": {
        "name": "Title",
        "description": "Description",
        "seo_title": "SEO title",
        "seo_description": "SEO description",
        "tags": "Tags",
    },
}

# Headers in Chinese marketplace exports (Taobao/Tmall, JD, Pinduoduo, 1688) and sellers' own sheets.
CHINESE: dict[str, tuple[str, ...]] = {
    "name": ("宝贝名称", "商品标题", "宝贝标题", "标题", "商品名称", "产品名称", "名称", "品名", "商品名"),
    "description": ("描述", "宝贝描述", "商品描述", "产品描述", "详情", "商品详情", "宝贝详情", "简介"),
    "features": ("卖点", "宝贝卖点", "商品卖点", "产品卖点", "亮点", "特点", "产品特点", "核心卖点"),
    "price": ("价格", "售价", "一口价", "销售价", "零售价", "单价", "宝贝价格", "商品价格"),
    "material": ("材质", "面料", "材料", "成分", "主要材质"),
    "color": ("颜色分类", "颜色", "颜色分類", "色彩"),
    "size": ("尺码", "尺寸", "规格", "型号规格"),
    "sku": ("商家编码", "货号", "商品编码", "款号", "sku编码", "商家货号", "外部编码", "编码"),
    "brand": ("品牌", "品牌名称"),
    "category": ("类目", "宝贝类目", "商品类目", "分类", "商品分类", "类别"),
    "keywords": ("关键词", "关键字", "搜索关键词"),
    "audience": ("人群", "适用人群", "目标人群", "适用对象", "目标客户"),
    "vendor": ("供应商", "厂家", "生产厂家", "店铺"),
    "tags": ("标签", "商品标签"),
    "barcode": ("条形码", "条码", "商品条码", "国际条码"),
    "image": ("图片", "主图", "宝贝图片", "商品图片", "图片链接", "主图链接"),
    "handle": (),
    "seo_title": (),
    "seo_description": (),
}

# Generic English headers (already lower-cased and normalised); Taobao Assistant's English field
# codes (outer_id, ...) are here too.
ENGLISH: dict[str, tuple[str, ...]] = {
    "handle": ("handle", "slug", "url handle"),
    "sku": (
        "sku",
        "item sku",
        "product sku",
        "item code",
        "product code",
        "article number",
        "outer id",
        "seller sku",
        "variant sku",
        "product id code",
    ),
    "name": ("name", "title", "product name", "product title", "item name", "product", "item title"),
    "description": (
        "description",
        "product description",
        "desc",
        "body",
        "details",
        "long description",
        "body (html)",
    ),
    "features": (
        "features",
        "feature",
        "benefits",
        "highlights",
        "selling points",
        "bullet points",
        "bullets",
        "key features",
        "usp",
    ),
    "price": ("price", "sale price", "retail price", "unit price", "regular price", "variant price"),
    "material": ("material", "materials", "fabric", "composition"),
    "color": ("color", "colour", "colors", "colours"),
    "size": ("size", "sizes", "dimensions"),
    "brand": ("brand", "brand name", "manufacturer brand"),
    "category": ("category", "product category", "type", "product type", "categories"),
    "keywords": ("keywords", "keyword", "search terms", "seo keywords"),
    "audience": ("audience", "target audience", "target customer", "for whom", "target group"),
    "vendor": ("vendor", "supplier", "manufacturer", "seller"),
    "tags": ("tags", "tag", "labels"),
    "barcode": ("barcode", "ean", "upc", "gtin", "isbn", "ean13", "upc code"),
    "image": (
        "image",
        "image url",
        "image src",
        "photo",
        "picture",
        "main image",
        "image link",
        "product image url",
    ),
    "seo_title": ("seo title", "meta title", "page title"),
    "seo_description": ("seo description", "meta description"),
}

# Traditional-character spellings (Taiwan, Hong Kong) of the commonest headers.
TRADITIONAL: dict[str, tuple[str, ...]] = {
    "name": ("商品名稱", "產品名稱", "名稱", "商品標題", "標題", "品名"),
    "description": ("商品描述", "產品描述", "詳情", "商品詳情"),
    "features": ("賣點", "商品賣點", "特點", "產品特點"),
    "price": ("價格", "售價", "單價", "零售價"),
    "material": ("材質", "面料", "材料"),
    "color": ("顏色", "顏色分類", "色彩"),
    "size": ("尺碼", "規格"),
    "sku": ("貨號", "商品編碼", "編碼"),
    "brand": ("品牌名稱",),
    "category": ("類目", "分類", "類別", "商品分類"),
    "keywords": ("關鍵詞", "關鍵字"),
    "audience": ("適用人群", "目標人群"),
    "vendor": ("供應商", "廠家"),
    "tags": ("標籤",),
    "barcode": ("條碼", "條形碼", "國際條碼"),
    "image": ("圖片", "主圖", "圖片連結"),
}
for _field, _aliases in TRADITIONAL.items():
    CHINESE[_field] = CHINESE[_field] + _aliases

_LOOKUP: dict[str, str] = {}
for _field in FIELDS:
    for _alias in ENGLISH.get(_field, ()) + CHINESE.get(_field, ()):
        _LOOKUP.setdefault(_alias, _field)
_CHINESE_NAMES = {alias for aliases in CHINESE.values() for alias in aliases}

OPTION_RE = re.compile(r"^option([123]) (name|value)$")
_PARENS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")


def normalise(header: str) -> str:
    """Lower case, single spaces, no required-field stars or trailing colons; keeps "(HTML)"."""
    text = header.replace("\u3000", " ").replace("_", " ").strip().lower()
    text = re.sub(r"\s+", " ", text).strip(" *:：")
    return text


def detect_format(header: list[str]) -> str:
    names = {normalise(h) for h in header}
    if "url handle" in names:
        return "shopify-new"
    if "handle" in names and names & SHOPIFY_OLD_MARKERS:
        return "shopify-old"
    if any(_field_for_generic(h)[1] for h in header) or "outer id" in names:
        return "taobao"
    return "generic"


def _field_for_generic(header: str) -> tuple[str | None, bool]:
    """(field, matched a Chinese alias) for one header outside Shopify files."""
    key = normalise(header)
    for candidate in (key, normalise(_PARENS.sub("", header))):
        if candidate in _LOOKUP:
            return _LOOKUP[candidate], candidate in _CHINESE_NAMES
    return None, False


def auto_mapping(header: list[str], fmt: str | None = None) -> tuple[dict[str, str | None], str]:
    """(column -> field or None, format) for a header row."""
    fmt = fmt or detect_format(header)
    table = SHOPIFY_NEW if fmt == "shopify-new" else SHOPIFY_OLD if fmt == "shopify-old" else None
    mapping: dict[str, str | None] = {}
    for column in header:
        if table is not None:
            mapping[column] = table.get(normalise(column))
        else:
            mapping[column] = _field_for_generic(column)[0]
    return mapping, fmt


def merge_mapping(auto: dict[str, str | None], given: dict[str, str | None] | None) -> dict[str, str | None]:
    """The automatic mapping with the user's corrections on top (a column mapped to None or "" is
    left unmapped, so its values go to `extra`)."""
    if not given:
        return dict(auto)
    unknown_columns = [c for c in given if c not in auto]
    if unknown_columns:
        raise MappingError(
            f"The mapping names columns that are not in the file: {', '.join(unknown_columns)}.",
            f"映射中的列在文件中不存在:{'、'.join(unknown_columns)}。",
        )
    unknown_fields = sorted({f for f in given.values() if f and f not in FIELDS})
    if unknown_fields:
        raise MappingError(
            f"Unknown product fields in the mapping: {', '.join(unknown_fields)}. Known: "
            f"{', '.join(FIELDS)}.",
            f"映射中有未知的商品字段:{'、'.join(unknown_fields)}。可用字段:{'、'.join(FIELDS)}。",
        )
    merged = dict(auto)
    merged.update({c: (f or None) for c, f in given.items()})
    return merged


def option_columns(header: list[str]) -> dict[int, dict[str, str]]:
    """Shopify's OptionN Name / OptionN Value columns: {1: {"name": col, "value": col}, ...}."""
    out: dict[int, dict[str, str]] = {}
    for column in header:
        match = OPTION_RE.match(normalise(column))
        if match:
            out.setdefault(int(match.group(1)), {})[match.group(2)] = column
    return out


@functools.lru_cache(maxsize=256)
def option_field(option_name: str) -> str | None:
    """A variant option named "Color", "颜色", "Size", "尺码", "Material" ... feeds that field."""
    field = _field_for_generic(option_name)[0]
    return field if field in ("color", "size", "material") else None
