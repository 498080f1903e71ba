"""The specific messages for each way a model file can be wrong: what it is, and what to do."""

from __future__ import annotations

import struct
from pathlib import Path

from desktop.core.models.errors import (
    AbsurdGGUFValueError,
    EmptyModelFileError,
    HtmlInsteadOfModelError,
    LfsPointerError,
    ModelFileMissingError,
    NotGGUFError,
    TruncatedModelFileError,
    UnknownGGUFValueTypeError,
    UnsupportedGGUFVersionError,
    UnsupportedTensorTypeError,
)

REDOWNLOAD_EN = "Download the model again, or import another .gguf file."
REDOWNLOAD_ZH = "请重新下载该模型，或导入另一个 .gguf 文件。"

# Magic numbers of the formats that came before GGUF (as they appear on disk, little-endian).
_OLD_GGML = {b"lmgg": "GGML", b"fmgg": "GGMF", b"tjgg": "GGJT", b"algg": "GGLA"}


def _name(path: str | Path) -> str:
    return Path(path).name


def missing(path: Path) -> ModelFileMissingError:
    return ModelFileMissingError(
        str(path),
        f"The model file {_name(path)} is not there any more (moved or deleted). "
        "Put it back, import it again, or remove it from the list.",
        f"模型文件 {_name(path)} 已不存在（被移动或删除）。请放回原处、重新导入，或从列表中移除。",
    )


def empty(path: Path) -> EmptyModelFileError:
    return EmptyModelFileError(
        str(path),
        f"The model file {_name(path)} is empty (0 bytes): the download or copy did not happen. "
        f"{REDOWNLOAD_EN}",
        f"模型文件 {_name(path)} 是空的（0 字节）：下载或复制没有完成。{REDOWNLOAD_ZH}",
    )


def not_gguf(path: Path, why_en: str, why_zh: str) -> NotGGUFError:
    return NotGGUFError(
        str(path),
        f"{_name(path)} is not a GGUF model: {why_en}. Shopscribe runs .gguf models only; "
        "pick a file ending in .gguf (a GGUF repository on Hugging Face), or import another file.",
        f"{_name(path)} 不是 GGUF 模型：{why_zh}。Shopscribe 只能运行 .gguf 模型；"
        "请选择 .gguf 文件（Hugging Face 上的 GGUF 仓库），或导入其他文件。",
    )


def sniff(path: Path, head: bytes, size: int) -> None:
    """Recognise what a non-GGUF file is from its first bytes, and raise the matching error."""
    if head[:4] == b"GGUF" or (len(head) < 4 and b"GGUF".startswith(head)):
        return  # a GGUF (or the first bytes of one: the parser then names the truncation)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body")):
        raise HtmlInsteadOfModelError(
            str(path),
            f"{_name(path)} is a web page ({size:,} bytes of HTML), not a model: the server sent an error or "
            "login page instead of the file. Check the link (and your access to the repository), then "
            f"{REDOWNLOAD_EN[0].lower()}{REDOWNLOAD_EN[1:]}",
            f"{_name(path)} 是一个网页（{size:,} 字节的 HTML），不是模型：服务器返回了错误页"
            f"或登录页而不是文件。请检查链接（以及对该仓库的访问权限），然后{REDOWNLOAD_ZH}",
        )
    if text.startswith(b"version https://git-lfs"):
        raise LfsPointerError(
            str(path),
            f"{_name(path)} is a Git LFS pointer ({size} bytes of text), not the model itself: it was cloned "
            "without Git LFS. Download the file itself (the download button, or `git lfs pull`), or import "
            "another file.",
            f"{_name(path)} 是 Git LFS 指针文件（{size} 字节的文本），不是模型本身：仓库克隆时没有启"
            "用 Git LFS。请下载文件本身（使用下载按钮或 `git lfs pull`），或导入其他文件。",
        )
    if text.startswith(b"{") and b"error" in text:
        raise not_gguf(path, "it is an error message from a server (JSON), not model data",
                       "它是服务器返回的错误信息（JSON），不是模型数据")
    if head[:4] in _OLD_GGML:
        fmt = _OLD_GGML[head[:4]]
        raise not_gguf(path, f"it uses the old {fmt} format that llama.cpp no longer reads",
                       f"它使用 llama.cpp 已不再支持的旧 {fmt} 格式")
    if head[:4] == b"PK\x03\x04":
        raise not_gguf(path, "it is a zip archive (a PyTorch checkpoint?)",
                       "它是 zip 压缩包（PyTorch 权重？）")
    if len(head) >= 10 and head[8:10] == b'{"' and struct.unpack("<Q", head[:8])[0] < size:
        raise not_gguf(path, "it is a safetensors file", "它是 safetensors 文件")
    raise not_gguf(path, f"its first bytes are {head[:4]!r} instead of 'GGUF'",
                   f"文件开头是 {head[:4]!r} 而不是 'GGUF'")


def bad_version(path: str, version: int) -> UnsupportedGGUFVersionError:
    swapped = struct.unpack(">I", struct.pack("<I", version))[0]
    if version > 0xFFFF and swapped in (1, 2, 3):
        en_why, zh_why = (
            "it is a big-endian GGUF (made for other processors)",
            "它是大端字节序的 GGUF（为其他处理器制作）",
        )
    elif version == 1:
        en_why, zh_why = (
            "it uses GGUF version 1, too old for llama.cpp",
            "它使用 GGUF 第 1 版，llama.cpp 已不支持",
        )
    else:
        en_why, zh_why = f"it uses GGUF version {version}, which this version of Shopscribe does not know", \
            f"它使用 GGUF 第 {version} 版，当前版本的 Shopscribe 无法识别"
    return UnsupportedGGUFVersionError(
        path,
        f"{_name(path)} cannot be used: {en_why}. Download a current GGUF conversion of the model "
        "(little-endian, GGUF v2 or v3), or import another file.",
        f"{_name(path)} 无法使用：{zh_why}。请下载该模型较新的 GGUF 转换版本（小端、GGUF v2 或 "
        "v3），或导入其他文件。",
    )


def truncated(path: str, offset: int, size: int, what: tuple[str, str], expected: int | None = None
              ) -> TruncatedModelFileError:
    if expected is not None:
        en = (f"{_name(path)} is incomplete: its {what[0]} should end at byte {expected:,} but the "
              f"file stops at byte {size:,} ({size * 100 // max(expected, 1)}% present). The download or "
              "copy was interrupted.")
        zh = (f"{_name(path)} 不完整：{what[1]}应到第 {expected:,} 字节结束，但文件在第 {size:,} 字节就结束了"
              f"（只有 {size * 100 // max(expected, 1)}%）。下载或复制被中断了。")
    else:
        en = (f"{_name(path)} is incomplete: it ends at byte {size:,}, in the middle of the {what[0]} "
              f"(offset {offset:,}). The download or copy was interrupted.")
        zh = (f"{_name(path)} 不完整：文件在第 {size:,} 字节结束，正处于{what[1]}中间（偏移 {offset:,}）。"
              "下载或复制被中断了。")
    return TruncatedModelFileError(path, f"{en} {REDOWNLOAD_EN}", f"{zh}{REDOWNLOAD_ZH}", offset=offset)


def absurd(path: str, what_en: str, what_zh: str, offset: int) -> AbsurdGGUFValueError:
    return AbsurdGGUFValueError(
        path,
        f"{_name(path)} is damaged: its header claims {what_en} (at offset {offset:,}), far beyond any real "
        f"model. The file is corrupt or not a genuine model. {REDOWNLOAD_EN}",
        f"{_name(path)} 已损坏：文件头声称{what_zh}（偏移 {offset:,}），远超任何真实模型。"
        f"文件已损坏或不是真正的模型。{REDOWNLOAD_ZH}",
    )


def unknown_type(path: str, key: str, vtype: int, offset: int,
                 nested: bool = False) -> UnknownGGUFValueTypeError:
    if nested:
        en_what, zh_what = "a nested array", "嵌套数组"
    else:
        en_what, zh_what = f"an unknown value type {vtype}", f"未知的值类型 {vtype}"
    return UnknownGGUFValueTypeError(
        path,
        f"{_name(path)} cannot be read: the metadata entry '{key}' has {en_what} (offset {offset:,}). "
        f"The file is damaged or was made by a tool this version does not understand. {REDOWNLOAD_EN}",
        f"{_name(path)} 无法读取：元数据 '{key}' 含有{zh_what}（偏移 {offset:,}）。"
        f"文件已损坏，或由当前版本无法识别的工具生成。{REDOWNLOAD_ZH}",
    )


def tensor_type(path: str, ggml_type: int, index: int) -> UnsupportedTensorTypeError:
    return UnsupportedTensorTypeError(
        path,
        f"{_name(path)} uses tensor type {ggml_type} (tensor #{index}), which the bundled llama.cpp does not "
        "know: the file is damaged or uses a quantization newer than this version. "
        "Choose another quantization (Q4_K_M is a safe choice), or import another file.",
        f"{_name(path)} 使用了张量类型 {ggml_type}（第 {index} 个张量），内置的 llama.cpp 无法识别："
        "文件已损坏，或使用了比当前版本更新的量化方式。请选择其他量化版本（Q4_K_M 较稳妥），或导入其他文件。",
    )
