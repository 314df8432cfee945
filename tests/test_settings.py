from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.settings import Settings


def test_environment_overrides_defaults() -> None:
    s = Settings.load(env={"ASSISTANT_K": "7", "ASSISTANT_INDEX_DIR": "/tmp/x"})
    assert s.k == 7 and s.index_dir == Path("/tmp/x")


def test_config_file_then_environment(tmp_path: Path) -> None:
    config = tmp_path / "a.toml"
    config.write_text("k = 4\ncandidates = 30\n")
    s = Settings.load(env={"ASSISTANT_CONFIG": str(config), "ASSISTANT_K": "6"})
    assert (s.k, s.candidates) == (6, 30)


@pytest.mark.parametrize(
    "env",
    [
        {"ASSISTANT_K": "-1"},
        {"ASSISTANT_K": "many"},
        {"ASSISTANT_PASSAGE_MIN_CHARS": "5000"},
        {"ASSISTANT_CHROMA_PORT": "70000"},
        {"ASSISTANT_EMBEDDING_BACKEND": "tensorflow"},
    ],
)
def test_bad_values_fail_at_start_up_naming_the_setting(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.load(env=env)
    assert any(key.removeprefix("ASSISTANT_").lower() in str(info.value) for key in env)


def test_unknown_setting_in_file_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "a.toml"
    config.write_text("colour = 'blue'\n")
    with pytest.raises(ConfigError, match="colour"):
        Settings.load(env={"ASSISTANT_CONFIG": str(config)})


def test_llm_settings_are_checked_and_choose_the_answerer() -> None:
    assert Settings().mode == "grounded"
    assert Settings(llm_base_url="http://127.0.0.1:11434/v1").mode == "llm"
    assert Settings(llm_base_url="http://x/v1", answer_mode="grounded").mode == "grounded"
    with pytest.raises(ConfigError, match="answer_mode must be one of auto, grounded, llm"):
        Settings(answer_mode="gpt")
    with pytest.raises(ConfigError, match="answer_mode is llm, but no llm_base_url"):
        Settings(answer_mode="llm")
    with pytest.raises(ConfigError, match="llm_extra_body is not JSON"):
        Settings(llm_extra_body="{grammar")
    with pytest.raises(ConfigError, match="llm_timeout must be positive"):
        Settings.load({"ASSISTANT_LLM_TIMEOUT": "0"})
