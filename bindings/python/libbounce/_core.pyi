"""Type stubs for the native core libbounce._core (private)."""

from typing import Any, Dict, List, Optional, Sequence, Tuple

__version__: str
BOUNCE_TYPES: Tuple[str, ...]
REASONS: Tuple[str, ...]
ACTIONS: Tuple[str, ...]
STAGES: Tuple[str, ...]
PROVIDERS: Tuple[str, ...]
CLASSIFICATION_COLUMNS: Tuple[str, ...]
DESCRIPTIONS: Dict[str, Dict[str, str]]

class Classifier:
    def __init__(self, rule_files: List[str], cache: bool) -> None: ...
    @property
    def pattern_count(self) -> int: ...
    def classify(
        self, text: str, code: int, enhanced: str, phase: str, host: str, domain: str
    ) -> Tuple[Any, ...]: ...
    def classify_many(
        self, texts: Any, codes: Any, enhanced: Any, phases: Any, hosts: Any, domains: Any
    ) -> Dict[str, List[Any]]: ...

def split_reply(raw: str) -> Tuple[Optional[int], Optional[str], str]: ...
def normalize_reply(text: str) -> str: ...
def cli_main(args: Sequence[str]) -> int: ...
