"""The model manager: GGUF header checks, the local registry, fit estimates, the curated catalog,
Hugging Face search and verified, resumable downloads. Qt-free; nothing here touches the network at
import time (the Hub modules import huggingface_hub only when a search or download starts)."""
