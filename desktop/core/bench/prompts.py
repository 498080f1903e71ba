"""The work every figure measures: one copywriting template (a long system prompt and instructions,
well over 300 tokens, shared by every product) and a small catalog of products."""

from __future__ import annotations

SYSTEM = """You are a senior e-commerce copywriter for an independent online shop. You write product \
descriptions that are accurate, warm and specific. You never invent facts that are not in the product \
data: no certifications, awards, medical effects or guarantees unless the data states them. You avoid \
absolute claims such as "best", "number one", "perfect" or "100% safe", because advertising law in many \
markets forbids them. You prefer concrete details (materials, sizes, capacities, care instructions) to \
vague praise. You write for shoppers who read on a phone: short paragraphs, plain words, no jargon.

House style:
- Open with one sentence that says what the product is and who it is for.
- Follow with two or three short paragraphs: what it is made of and how it feels; how it is used day to \
day; how to care for it. Mention the size or capacity exactly as given.
- End with one sentence that invites the shopper to choose it, without pressure or false urgency.
- Use the brand's voice: friendly, calm, confident; never shouting, never using more than one \
exclamation mark in the whole text, never using emoji unless the platform is a social network.
- Keep each sentence under twenty-five words. Do not repeat the product name more than three times.
- Never mention competitors, prices of other shops, or discounts that are not in the data.
- If a field in the product data is empty, leave that topic out instead of guessing.
"""

INSTRUCTIONS = """Write a product description for the online shop using the house style above. The \
text will be shown on the product page under the title, so do not repeat the title as a heading. \
Target length: about 120 words. Write in English. Output only the description text, with no preamble, \
no notes and no markdown.

Product data:
"""

PRODUCTS = [
    "Name: Stainless steel water bottle\nCapacity: 750 ml\nMaterial: double-wall 18/8 steel\nFeatures: keeps "
    "drinks cold 24 h, leak-proof lid",
    "Name: Merino wool scarf\nSize: 180 x 30 cm\nMaterial: 100% merino wool\nFeatures: soft, warm, machine "
    "washable on wool cycle",
    "Name: Cork yoga mat\nSize: 183 x 61 cm, 4 mm thick\nMaterial: natural cork on rubber\nFeatures: grips "
    "better when wet",
    "Name: LED desk lamp\nPower: 8 W\nFeatures: three colour temperatures, dimmable, USB-C charging port",
    "Name: Ceramic pour-over coffee dripper\nSize: fits 1-4 cups\nMaterial: glazed porcelain\nFeatures: "
    "spiral ribs for even extraction",
    "Name: Canvas tote bag\nSize: 40 x 38 cm\nMaterial: 12 oz cotton canvas\nFeatures: inner pocket, "
    "reinforced handles",
    "Name: Bamboo cutting board\nSize: 38 x 25 cm\nMaterial: organic bamboo\nFeatures: juice groove, "
    "hanging hole",
    "Name: Linen bed sheet set\nSize: queen\nMaterial: stonewashed European flax linen\nFeatures: "
    "breathable, softer with every wash",
]


def messages(product: str) -> list[dict]:
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": INSTRUCTIONS + product},
    ]


# The same products as fields of a built-in template (the catalog and grammar figures render the
# template's real prompt from these, as a batch job or the Compose page does).
PRODUCT_FIELDS = [
    {"product_name": "Stainless steel water bottle", "specs": "750 ml, double-wall 18/8 steel",
     "features": "keeps drinks cold 24 h, leak-proof lid"},
    {"product_name": "Merino wool scarf", "specs": "180 x 30 cm, 100% merino wool",
     "features": "soft, warm, machine washable on wool cycle"},
    {"product_name": "Cork yoga mat", "specs": "183 x 61 cm, 4 mm thick, natural cork on rubber",
     "features": "grips better when wet"},
    {"product_name": "LED desk lamp", "specs": "8 W",
     "features": "three colour temperatures, dimmable, USB-C port"},
    {"product_name": "Ceramic pour-over coffee dripper", "specs": "fits 1-4 cups, glazed porcelain",
     "features": "spiral ribs for even extraction"},
    {"product_name": "Canvas tote bag", "specs": "40 x 38 cm, 12 oz cotton canvas",
     "features": "inner pocket, reinforced handles"},
    {"product_name": "Bamboo cutting board", "specs": "38 x 25 cm, organic bamboo",
     "features": "juice groove, hanging hole"},
    {"product_name": "Linen bed sheet set", "specs": "queen, stonewashed European flax linen",
     "features": "breathable, softer with every wash"},
]


def template_messages(template_id: str, product: dict, lang: str = "en") -> tuple[list[dict], dict | None]:
    """A built-in template's real prompt for `product`: (messages, JSON schema or None)."""
    from desktop.core.content.render import render
    from desktop.core.content.templates import load_builtin_templates

    rendered = render(load_builtin_templates()[template_id], product, lang=lang)
    return rendered.messages, rendered.json_schema
