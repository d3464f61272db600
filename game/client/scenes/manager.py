"""The scene stack."""

from __future__ import annotations

from .base import Scene


class SceneManager:
    """Push, pop and replace scenes; the top scene gets events, updates and draws."""

    def __init__(self) -> None:
        self.stack: list[Scene] = []

    @property
    def top(self) -> Scene | None:
        return self.stack[-1] if self.stack else None

    def push(self, scene: Scene) -> Scene:
        if self.stack:
            self.stack[-1].pause()
        self.stack.append(scene)
        scene.resume()
        return scene

    def pop(self) -> Scene | None:
        if not self.stack:
            return None
        scene = self.stack.pop()
        scene.close()
        if self.stack:
            self.stack[-1].resume()
        return scene

    def replace(self, scene: Scene) -> Scene:
        if self.stack:
            self.stack.pop().close()
        self.stack.append(scene)
        scene.resume()
        return scene

    def reset(self, scene: Scene) -> Scene:
        """Drop the whole stack and start over from `scene`."""
        while self.stack:
            self.stack.pop().close()
        return self.push(scene)
