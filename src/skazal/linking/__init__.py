"""Cross-outlet linking: stories, utterances across outlets, first sources and altered quotes."""
from skazal.linking.link import Linking, LinkOptions, link, story_line, utterance_line

__all__ = ["LinkOptions", "Linking", "link", "story_line", "utterance_line"]
