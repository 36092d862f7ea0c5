"""Demo JSON to StreamField raw data, with deterministic ids (the same ids in Persian and English, so
the translation pairs them segment by segment, and a second load finds what the first made)."""

import json
import uuid

from wagtail import blocks

NAMESPACE = uuid.UUID("5f1c7e0a-2d7b-4b8e-9a51-0d3c2b9a7e11")


def stable_uuid(*parts):
    """A deterministic UUID for a demo object or block."""
    return uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts))


def to_raw(block, value, id_prefix, refs):
    """Turn demo JSON into StreamField raw data with deterministic ids (same ids in fa and en)."""
    if isinstance(block, blocks.StreamBlock):
        return [
            {
                "type": item["type"],
                "value": to_raw(
                    block.child_blocks[item["type"]], item["value"], f"{id_prefix}.{index}", refs
                ),
                "id": str(stable_uuid(id_prefix, index)),
            }
            for index, item in enumerate(value)
        ]
    if isinstance(block, blocks.ListBlock):
        return [
            {
                "type": "item",
                "value": to_raw(block.child_block, item, f"{id_prefix}.{index}", refs),
                "id": str(stable_uuid(id_prefix, index)),
            }
            for index, item in enumerate(value)
        ]
    if isinstance(block, blocks.StructBlock):
        return {
            name: to_raw(child, value.get(name), f"{id_prefix}.{name}", refs)
            for name, child in block.child_blocks.items()
            if name in value
        }
    if isinstance(block, blocks.ChooserBlock):
        return refs[block.target_model][value].pk
    return value


def stream_raw(model, field_name, items, id_prefix, refs):
    field = model._meta.get_field(field_name)
    return json.dumps(to_raw(field.stream_block, items, id_prefix, refs), ensure_ascii=False)
