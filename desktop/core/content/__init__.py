"""The content model: content types, tones, audiences, lengths, brand voices and templates."""
