"""Painting primitives for the demo photographs: colours, gradients, skies, ridges and the
finishing grain that makes flat shapes compress like photographs."""

from __future__ import annotations

import functools
import math
import random

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 1000
JPEG_QUALITY = 85

RGB = tuple[int, int, int]
Points = list[tuple[float, float]]

# Sky gradients, top to bottom, by time of day.
SKIES: dict[str, list[RGB]] = {
    "dawn": [(64, 86, 140), (206, 146, 150), (250, 212, 165)],
    "day": [(62, 122, 196), (132, 180, 224), (214, 230, 242)],
    "overcast": [(112, 122, 134), (164, 171, 178), (204, 207, 210)],
    "dusk": [(38, 40, 92), (166, 80, 104), (246, 164, 92)],
    "night": [(6, 10, 30), (20, 30, 68), (56, 58, 98)],
}


def mix(a: RGB, b: RGB, t: float) -> RGB:
    t = max(0.0, min(1.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def shade(color: RGB, factor: float) -> RGB:
    """Darker below 1, lighter above 1."""
    if factor <= 1:
        return mix((0, 0, 0), color, factor)
    return mix(color, (255, 255, 255), factor - 1)


def gradient(stops: list[RGB], height: int = HEIGHT, width: int = WIDTH) -> Image.Image:
    """A vertical gradient through evenly spaced colour stops."""
    segments = len(stops) - 1
    rows = []
    for y in range(height):
        position = y / max(height - 1, 1) * segments
        index = min(int(position), segments - 1)
        rows.append(mix(stops[index], stops[index + 1], position - index))
    column = Image.new("RGB", (1, height))
    column.putdata(rows)
    return column.resize((width, height), Image.Resampling.NEAREST)


def ridge(rng: random.Random, base: float, roughness: float, step: int = 40) -> Points:
    """A horizon from left to right, wandering around `base` (a fraction of the height)."""
    points: Points = []
    y = base * HEIGHT
    phase, waves = rng.uniform(0, math.tau), rng.uniform(0.8, 2.2)
    for x in range(-step, WIDTH + step * 2, step):
        y += rng.uniform(-roughness, roughness) * 0.6
        swell = math.sin(phase + x / WIDTH * math.tau * waves) * roughness * 2
        points.append((x, y + swell))
    return points


def fill_below(draw: ImageDraw.ImageDraw, line: Points, color: object) -> None:
    draw.polygon([*line, (WIDTH + 200, HEIGHT + 10), (-200, HEIGHT + 10)], fill=color)


def glow(draw: ImageDraw.ImageDraw, x: float, y: float, r: float, color: RGB) -> None:
    """A sun or moon with a soft halo."""
    for i in range(7, 1, -1):
        s = r * i / 2.4
        draw.ellipse((x - s, y - s, x + s, y + s), fill=(*color, 14))
    draw.ellipse((x - r / 2, y - r / 2, x + r / 2, y + r / 2), fill=(*color, 255))


def sky(rng: random.Random, time: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = gradient(SKIES[time])
    draw = ImageDraw.Draw(img, "RGBA")
    if time == "night":
        for _ in range(140):
            x, y = rng.randint(0, WIDTH), rng.randint(0, 460)
            draw.point((x, y), fill=(230, 230, 255, rng.randint(90, 220)))
        glow(draw, rng.randint(200, 1400), rng.randint(90, 220), 64, (240, 238, 220))
    elif time in {"dawn", "dusk"}:
        glow(draw, rng.randint(250, 1350), rng.randint(300, 430), 120, (255, 226, 172))
    elif time == "day":
        glow(draw, rng.randint(150, 1450), rng.randint(90, 220), 80, (255, 250, 232))
    if time in {"day", "overcast", "dawn"}:
        for _ in range(rng.randint(3, 7)):  # clouds: clusters of pale ellipses
            cx, cy = rng.randint(-100, WIDTH), rng.randint(60, 320)
            alpha = 150 if time == "overcast" else 110
            for _ in range(7):
                w, h = rng.randint(90, 220), rng.randint(30, 70)
                ox, oy = rng.randint(-140, 140), rng.randint(-25, 25)
                draw.ellipse(
                    (cx + ox - w, cy + oy - h, cx + ox + w, cy + oy + h),
                    fill=(250, 250, 252, alpha // 3),
                )
    return img, draw


@functools.cache
def vignette() -> Image.Image:
    mask = Image.radial_gradient("L").resize((WIDTH, HEIGHT))
    return mask.point(lambda v: max(0, v - 140) // 2)


def finish(img: Image.Image, rng: random.Random, grain: float = 0.03) -> Image.Image:
    """Soften slightly, add film grain and a light vignette so it reads like a photograph."""
    img = img.filter(ImageFilter.GaussianBlur(0.9))
    noise = Image.frombytes("L", (WIDTH, HEIGHT), rng.randbytes(WIDTH * HEIGHT)).convert("RGB")
    img = Image.blend(img, noise, grain)
    return Image.composite(Image.new("RGB", img.size, (8, 8, 12)), img, vignette())


# --- Scenes ---------------------------------------------------------------------------------
