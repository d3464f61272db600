"""One scene per module; `SceneManager` keeps the stack (push, pop, replace)."""
