"""Demo photographs, drawn with Pillow: skylines, rivers, fields, harbours, stages and so on.

Nothing is downloaded. Every picture is drawn from a scene name and a seed, so the same demo
always gets the same pictures. They are stylised rather than realistic: flat shapes over a
graded sky, softened and grained a little so that they compress like photographs.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from io import BytesIO

from PIL import Image, ImageDraw

from masthead.newsroom.demo.painting import (
    HEIGHT,
    JPEG_QUALITY,
    RGB,
    SKIES,
    WIDTH,
    fill_below,
    finish,
    gradient,
    mix,
    ridge,
    shade,
    sky,
)


def buildings(
    rng: random.Random,
    draw: ImageDraw.ImageDraw,
    horizon: int,
    base: RGB,
    lit: bool,
    layers: tuple[tuple[float, int], ...] = ((0.8, 330), (0.55, 430), (0.32, 520)),
) -> None:
    for layer, (factor, tallest) in enumerate(layers):
        color = shade(base, factor)
        x = -rng.randint(0, 60)
        while x < WIDTH:
            w, h = rng.randint(50, 140), rng.randint(80, tallest)
            top = horizon - h
            draw.rectangle((x, top, x + w, horizon), fill=color)
            if rng.random() < 0.22:  # a spire, mast or crane jib
                draw.rectangle((x + w // 2 - 3, top - 70, x + w // 2 + 3, top), fill=color)
            if layer == len(layers) - 1 or lit:
                window = (255, 214, 140, 235) if lit else (*shade(color, 1.3), 255)
                for wy in range(top + 14, horizon - 12, 26):
                    for wx in range(x + 10, x + w - 14, 22):
                        if rng.random() < (0.4 if lit else 0.75):
                            draw.rectangle((wx, wy, wx + 9, wy + 12), fill=window)
            x += w + rng.randint(0, 18)


def reflections(rng: random.Random, draw: ImageDraw.ImageDraw, top: int, color: RGB) -> None:
    for _ in range(170):
        y = rng.randint(top + 4, HEIGHT)
        x = rng.randint(-50, WIDTH)
        draw.line((x, y, x + rng.randint(30, 170), y), fill=(*color, rng.randint(25, 90)), width=2)


def skyline(rng: random.Random, time: str = "dusk", water: bool = True) -> Image.Image:
    img, draw = sky(rng, time)
    horizon = 720 if water else 900
    base = shade(SKIES[time][-1], 0.5)
    buildings(rng, draw, horizon, base, lit=time == "night")
    if water:
        img.paste(
            gradient([shade(SKIES[time][-1], 0.55), shade(SKIES[time][0], 0.45)], 280), (0, horizon)
        )
        reflections(rng, draw, horizon, (255, 236, 200))
    else:
        draw.rectangle((0, horizon, WIDTH, HEIGHT), fill=shade(base, 0.25))
    return img


def tree(draw: ImageDraw.ImageDraw, x: float, y: float, r: float, green: RGB) -> None:
    draw.rectangle((x - r * 0.12, y - r, x + r * 0.12, y), fill=(74, 56, 44))
    draw.ellipse((x - r, y - r * 2.6, x + r, y - r * 0.6), fill=green)
    draw.ellipse((x - r * 0.7, y - r * 3.0, x + r * 0.5, y - r * 1.4), fill=shade(green, 1.15))


def river(rng: random.Random, time: str = "day", bridge: bool = True, flood: bool = False):
    img, draw = sky(rng, time)
    fill_below(draw, ridge(rng, 0.44, 14), (108, 136, 122))
    land = (92, 132, 72) if not flood else (96, 116, 80)
    draw.rectangle((0, 480, WIDTH, HEIGHT), fill=land)
    water = (118, 150, 170) if not flood else (110, 122, 126)
    spread = 900 if flood else 620
    draw.polygon(
        [(740, 480), (860, 480), (800 + spread, HEIGHT), (800 - spread, HEIGHT)], fill=water
    )
    for _ in range(140):
        y = rng.randint(486, HEIGHT)
        half = 60 + (y - 480) / 520 * spread
        x = rng.uniform(800 - half, 800 + half - 90)
        draw.line((x, y, x + rng.randint(20, 90), y), fill=(255, 255, 255, 60), width=2)
    if flood:  # cottages standing in the water
        for _ in range(3):
            x, y = rng.randint(100, WIDTH - 200), rng.randint(600, 760)
            s = 0.6 + (y - 480) / 400
            wall = rng.choice([(220, 210, 190), (190, 150, 120), (230, 226, 214)])
            draw.rectangle((x, y - 110 * s, x + 150 * s, y), fill=wall)
            draw.polygon(
                [(x - 12 * s, y - 110 * s), (x + 162 * s, y - 110 * s), (x + 75 * s, y - 180 * s)],
                fill=(110, 60, 50),
            )
            draw.rectangle((x + 25 * s, y - 90 * s, x + 55 * s, y - 60 * s), fill=(60, 70, 80))
            draw.rectangle((x - 20, y - 40 * s, x + 150 * s + 20, y + 10), fill=(*water, 235))
    green = (48, 96, 56, 255)
    for _ in range(30):  # trees along both banks, bigger nearer the camera
        y = rng.randint(490, 800)
        half = 60 + (y - 480) / 520 * spread
        x = 800 + rng.choice([-1, 1]) * (half + rng.randint(20, 260))
        r = 10 + (y - 480) / 9
        if flood:  # trunks under water: only the crowns show
            draw.ellipse((x - r, y - r * 2.2, x + r, y - r * 0.3), fill=green)
        else:
            tree(draw, x, y, r, green[:3])
    if bridge:
        deck, color = 560, (66, 66, 76)
        draw.rectangle((0, deck, WIDTH, deck + 28), fill=color)
        for i in range(6):
            cx = 140 + i * 280
            draw.arc((cx - 140, deck + 12, cx + 140, deck + 250), 180, 360, fill=color, width=20)
            draw.rectangle((cx + 128, deck, cx + 152, deck + 190), fill=color)
        for x in range(0, WIDTH, 24):
            draw.line((x, deck - 34, x, deck), fill=color, width=3)
        draw.line((0, deck - 34, WIDTH, deck - 34), fill=color, width=6)
    return img


def fields(rng: random.Random, time: str = "day", turbines: int = 0, solar: bool = False):
    img, draw = sky(rng, time)
    fill_below(draw, ridge(rng, 0.5, 10), (118, 146, 128))
    horizon = 560
    colors = [(150, 170, 70), (196, 176, 88), (108, 150, 64), (170, 150, 96)]
    draw.rectangle((0, horizon, WIDTH, HEIGHT), fill=rng.choice(colors))
    vx = rng.randint(500, 1100)
    for i in range(-30, 31):  # crop rows converging on a vanishing point
        x_bottom = vx + i * 90
        draw.line(
            (vx + i * 4, horizon, x_bottom, HEIGHT), fill=(*shade(colors[0], 0.7), 90), width=3
        )
    for _ in range(8):
        x = rng.randint(0, WIDTH)
        tree(draw, x, horizon + rng.randint(0, 8), rng.randint(14, 26), (56, 96, 52))
    for _ in range(turbines):
        x, base = rng.randint(80, WIDTH - 80), horizon - rng.randint(0, 30)
        h = rng.randint(220, 330)
        draw.polygon(
            [(x - 6, base), (x + 6, base), (x + 2, base - h), (x - 2, base - h)],
            fill=(240, 242, 245),
        )
        angle = rng.uniform(0, math.tau)
        hub = (x, base - h)
        for k in range(3):
            a = angle + k * math.tau / 3
            length = h * 0.5
            tip = (hub[0] + math.cos(a) * length, hub[1] + math.sin(a) * length)
            nx, ny = -math.sin(a), math.cos(a)  # the blade's width, across it
            root_a = (hub[0] + nx * 9, hub[1] + ny * 9)
            root_b = (hub[0] - nx * 4, hub[1] - ny * 4)
            mid = (
                hub[0] + math.cos(a) * length * 0.3 + nx * 11,
                hub[1] + math.sin(a) * length * 0.3 + ny * 11,
            )
            draw.polygon([root_a, mid, tip, root_b], fill=(236, 238, 242))
        draw.ellipse((x - 8, base - h - 8, x + 8, base - h + 8), fill=(225, 228, 232))
    if solar:
        for row in range(6):
            y = horizon + 40 + row * row * 14 + row * 30
            depth = (y - horizon) / (HEIGHT - horizon)
            pw, ph = 60 + depth * 160, 14 + depth * 46
            for col in range(-2, int(WIDTH / pw) + 2):
                x = col * (pw + 8) + (row % 2) * pw / 2
                draw.polygon(
                    [(x, y + ph), (x + pw, y + ph), (x + pw * 0.9, y), (x + pw * 0.1, y)],
                    fill=(34, 52, 92),
                )
                draw.line((x + pw * 0.1, y, x + pw * 0.9, y), fill=(150, 170, 210), width=2)
    return img


def harbour(rng: random.Random, time: str = "dawn", cranes: int = 3, boats: int = 6):
    img, draw = sky(rng, time)
    horizon = 600
    far = shade(SKIES[time][-1], 0.45)
    buildings(rng, draw, horizon, far, lit=time == "night", layers=((0.7, 160), (0.45, 220)))
    for _ in range(cranes):  # gantry cranes on the quay
        x = rng.randint(100, WIDTH - 300)
        h = rng.randint(260, 380)
        color = rng.choice([(190, 70, 50), (210, 150, 40), (70, 90, 140)])
        draw.rectangle((x, horizon - h, x + 14, horizon), fill=color)
        draw.rectangle((x + 90, horizon - h, x + 104, horizon), fill=color)
        draw.rectangle((x - 120, horizon - h - 20, x + 260, horizon - h), fill=color)
        draw.line((x + 40, horizon - h, x + 40, horizon - h + 120), fill=(30, 30, 30), width=3)
    img.paste(
        gradient([shade(SKIES[time][-1], 0.6), shade(SKIES[time][0], 0.4)], HEIGHT - horizon),
        (0, horizon),
    )
    reflections(rng, draw, horizon, (255, 240, 215))
    for _ in range(boats):
        y = rng.randint(horizon + 40, HEIGHT - 60)
        scale = 0.5 + (y - horizon) / (HEIGHT - horizon) * 1.3
        x = rng.randint(-40, WIDTH - 100)
        w, h = 160 * scale, 34 * scale
        hull = rng.choice([(180, 40, 40), (30, 60, 110), (235, 235, 235), (40, 40, 40)])
        draw.polygon([(x, y), (x + w, y), (x + w * 0.85, y + h), (x + w * 0.1, y + h)], fill=hull)
        draw.rectangle((x + w * 0.3, y - h * 1.1, x + w * 0.62, y), fill=(236, 232, 222))
        draw.line(
            (x + w * 0.5, y - h * 3.2, x + w * 0.5, y - h * 1.1),
            fill=(60, 60, 60),
            width=max(2, round(3 * scale)),
        )
    return img


def mountains(rng: random.Random, time: str = "day", snow: bool = True):
    img, draw = sky(rng, time)
    base = (90, 110, 140)
    for i, level in enumerate([0.36, 0.48, 0.6, 0.74]):
        line = ridge(rng, level, 40 - i * 6, step=60)
        color = mix(SKIES[time][-1], shade(base, 0.9 - i * 0.18), 0.45 + i * 0.18)
        if snow and i == 0:  # a snow cap: the same ridge, lowered, in rock colour
            fill_below(draw, line, (244, 246, 250))
            fill_below(draw, [(x, y + 46 + (x * 7 % 23)) for x, y in line], color)
        else:
            fill_below(draw, line, color)
    return img


def forest(rng: random.Random, time: str = "overcast", fog: float = 0.5):
    img, draw = sky(rng, time)
    fog_color = SKIES[time][-1]
    for row in range(5):
        y0 = 430 + row * 110
        green = mix((34, 78, 50), fog_color, fog * (1 - row / 5))
        fill_below(draw, ridge(rng, y0 / HEIGHT + 0.04, 6), green)
        size = 40 + row * 28
        x = -rng.randint(0, 40)
        while x < WIDTH + size:
            h = size * rng.uniform(2.0, 3.0)
            draw.polygon(
                [(x - size / 2, y0 + 40), (x + size / 2, y0 + 40), (x, y0 + 40 - h)], fill=green
            )
            x += size * rng.uniform(0.45, 0.8)
    return img


def street(
    rng: random.Random,
    time: str = "day",
    vehicle: str = "tram",
    paint: RGB | None = None,
    rain: bool = False,
):
    """A street in perspective, with a tram (rails and overhead wire), a bus or neither."""
    img, draw = sky(rng, time)
    vx, vy = WIDTH // 2 + rng.randint(-120, 120), 470
    road = (84, 84, 90) if not rain else (60, 62, 70)
    draw.polygon([(vx - 30, vy), (vx + 30, vy), (WIDTH + 400, HEIGHT), (-400, HEIGHT)], fill=road)
    pavement = (170, 166, 156)
    draw.polygon(
        [(vx - 30, vy), (-400, HEIGHT), (-400, HEIGHT), (-700, HEIGHT), (vx - 40, vy)],
        fill=pavement,
    )
    draw.polygon(
        [(vx + 30, vy), (WIDTH + 400, HEIGHT), (WIDTH + 700, HEIGHT), (vx + 40, vy)], fill=pavement
    )
    palette = [(176, 120, 96), (200, 180, 150), (140, 110, 100), (210, 206, 196), (120, 130, 150)]
    for side in (-1, 1):  # facades receding to the vanishing point
        x_near = 0 if side < 0 else WIDTH
        for i in range(7):
            t0, t1 = i / 7, (i + 1) / 7
            xa = x_near + (vx - x_near) * (t0 * 0.82)
            xb = x_near + (vx - x_near) * (t1 * 0.82)
            top_a, top_b = 40 + t0 * (vy - 220), 40 + t1 * (vy - 220)
            bot_a, bot_b = (
                HEIGHT - 120 - t0 * (HEIGHT - 120 - vy - 20),
                HEIGHT - 120 - t1 * (HEIGHT - 120 - vy - 20),
            )
            color = shade(rng.choice(palette), 0.95 - t0 * 0.3)
            draw.polygon([(xa, top_a), (xb, top_b), (xb, bot_b), (xa, bot_a)], fill=color)
            for k in range(1, 4):
                f = k / 4
                wx = xa + (xb - xa) * f
                draw.line(
                    (wx, top_a + (top_b - top_a) * f + 20, wx, bot_a + (bot_b - bot_a) * f - 30),
                    fill=(*shade(color, 0.55), 200),
                    width=max(2, round(10 * (1 - t0))),
                )
    if vehicle == "tram":
        for offset in (-60, 60):
            draw.line(
                (vx + offset * 0.05, vy, vx + offset * 9, HEIGHT), fill=(200, 200, 205), width=4
            )
    if vehicle in {"tram", "bus"}:
        s = rng.uniform(0.45, 0.7)
        tx, ty = vx - 260 * s, vy + 260 * s
        color = paint or rng.choice([(40, 150, 90), (200, 60, 60), (230, 180, 40)])
        draw.rounded_rectangle(
            (tx, ty - 260 * s, tx + 520 * s, ty + 60 * s), radius=30 * s, fill=color
        )
        draw.rectangle((tx + 30 * s, ty - 220 * s, tx + 490 * s, ty - 100 * s), fill=(40, 50, 60))
        if vehicle == "tram":  # the pantograph up to the overhead wire
            draw.line((tx + 260 * s, ty - 260 * s, tx + 260 * s, 0), fill=(50, 50, 50), width=3)
    if rain:
        for _ in range(900):
            x, y = rng.randint(-100, WIDTH), rng.randint(-50, HEIGHT)
            draw.line((x, y, x + 14, y + 46), fill=(220, 226, 236, 70), width=2)
    return img


def market(rng: random.Random, time: str = "day"):
    img, draw = sky(rng, time)
    buildings(
        rng, draw, 560, shade(SKIES[time][-1], 0.6), lit=False, layers=((0.85, 260), (0.7, 300))
    )
    draw.rectangle((0, 560, WIDTH, HEIGHT), fill=(150, 140, 128))
    x = -40
    while x < WIDTH:
        w = rng.randint(220, 320)
        stripe_a, stripe_b = rng.choice(
            [
                ((200, 50, 50), (245, 240, 230)),
                ((40, 120, 80), (240, 236, 220)),
                ((40, 80, 150), (245, 245, 240)),
                ((230, 170, 40), (250, 245, 230)),
            ]
        )
        top = 520 + rng.randint(-20, 20)
        for k in range(8):
            sx = x + k * w / 8
            draw.polygon(
                [(sx, top), (sx + w / 8, top), (sx + w / 8 + 10, top + 90), (sx + 10, top + 90)],
                fill=stripe_a if k % 2 else stripe_b,
            )
        draw.rectangle((x + 20, top + 90, x + 26, HEIGHT - 160), fill=(70, 60, 50))
        draw.rectangle((x + w - 16, top + 90, x + w - 10, HEIGHT - 160), fill=(70, 60, 50))
        draw.rectangle((x + 10, HEIGHT - 250, x + w, HEIGHT - 160), fill=(120, 90, 60))
        for _ in range(26):  # produce
            px, py = rng.uniform(x + 20, x + w - 20), rng.uniform(HEIGHT - 290, HEIGHT - 245)
            r = rng.randint(10, 18)
            fruit = rng.choice([(220, 60, 40), (240, 160, 30), (120, 170, 50), (120, 40, 90)])
            draw.ellipse((px - r, py - r, px + r, py + r), fill=fruit)
        x += w + rng.randint(20, 60)
    people(rng, draw, count=14, floor=HEIGHT - 20)
    return img


def people(
    rng: random.Random, draw: ImageDraw.ImageDraw, count: int, floor: int, dark: bool = False
) -> None:
    for _ in range(count):
        x, scale = rng.randint(0, WIDTH), rng.uniform(0.7, 1.25)
        color = (
            (20, 20, 26)
            if dark
            else rng.choice(
                [(60, 70, 90), (140, 60, 50), (40, 40, 44), (170, 150, 110), (80, 110, 80)]
            )
        )
        head = 26 * scale
        top = floor - 300 * scale
        draw.ellipse(
            (x - head, top, x + head, top + head * 2),
            fill=(30, 24, 22)
            if dark
            else (rng.choice([(224, 190, 160), (170, 120, 90), (110, 76, 56)])),
        )
        draw.rounded_rectangle(
            (x - 52 * scale, top + head * 2.2, x + 52 * scale, floor),
            radius=round(30 * scale),
            fill=color,
        )


def stage(rng: random.Random, hue: RGB = (250, 200, 120)):
    img = gradient([(10, 8, 16), (26, 18, 34), (14, 10, 18)])
    draw = ImageDraw.Draw(img, "RGBA")
    draw.rectangle((0, 620, WIDTH, 700), fill=(70, 44, 30))
    for _ in range(rng.randint(3, 5)):  # spotlight cones
        x = rng.randint(100, WIDTH - 100)
        target = x + rng.randint(-300, 300)
        color = mix(hue, (rng.randint(150, 255), rng.randint(80, 200), rng.randint(150, 255)), 0.4)
        for width, alpha in ((260, 20), (170, 28), (90, 40)):
            draw.polygon(
                [(x - 12, 0), (x + 12, 0), (target + width, 660), (target - width, 660)],
                fill=(*color, alpha),
            )
        draw.ellipse((target - 260, 630, target + 260, 690), fill=(*color, 60))
    for _ in range(rng.randint(2, 4)):  # performers
        x = rng.randint(300, WIDTH - 300)
        draw.ellipse((x - 22, 400, x + 22, 446), fill=(24, 18, 22))
        draw.polygon(
            [(x - 40, 450), (x + 40, 450), (x + 60, 650), (x - 60, 650)], fill=(24, 18, 22)
        )
    people(rng, draw, count=26, floor=HEIGHT + 60, dark=True)
    return img


def lanterns(rng: random.Random):
    """A riverside festival at night: strings of coloured lights over dark water."""
    img = skyline(rng, time="night", water=True)
    draw = ImageDraw.Draw(img, "RGBA")
    for _ in range(5):
        y0, sag = rng.randint(120, 480), rng.randint(40, 140)
        for i in range(60):
            x = i * WIDTH / 59
            y = y0 + sag * math.sin(math.pi * i / 59)
            color = rng.choice([(255, 120, 90), (255, 210, 90), (120, 220, 255), (200, 140, 255)])
            draw.ellipse((x - 16, y - 16, x + 16, y + 16), fill=(*color, 50))
            draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=(*color, 255))
    people(rng, draw, count=30, floor=HEIGHT + 40, dark=True)
    return img


def abstract(rng: random.Random, palette: str = "warm"):
    """Overlapping translucent shapes: for economics, data and culture pieces."""
    palettes = {
        "warm": [(250, 236, 220), (236, 120, 80), (240, 180, 70), (160, 60, 70), (60, 50, 80)],
        "cool": [(226, 236, 244), (60, 120, 180), (90, 180, 170), (40, 60, 110), (240, 200, 90)],
        "green": [(232, 240, 226), (70, 140, 90), (170, 200, 90), (30, 80, 70), (230, 120, 60)],
    }
    colors = palettes[palette]
    img = gradient([colors[0], shade(colors[0], 0.9)])
    draw = ImageDraw.Draw(img, "RGBA")
    for _ in range(14):
        color = rng.choice(colors[1:])
        x, y, r = rng.randint(0, WIDTH), rng.randint(0, HEIGHT), rng.randint(60, 360)
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(*color, rng.randint(90, 170)))
        else:
            draw.rectangle(
                (x - r, y - r / 2, x + r, y + r / 2), fill=(*color, rng.randint(90, 170))
            )
    bars = rng.randint(8, 14)
    for i in range(bars):  # a chart-like run of bars along the bottom
        h = 80 + (i / bars) * 300 + rng.randint(-60, 60)
        x = 120 + i * (WIDTH - 240) / bars
        draw.rectangle(
            (x, HEIGHT - 80 - h, x + (WIDTH - 240) / bars * 0.6, HEIGHT - 80),
            fill=(*colors[-1], 200),
        )
    return img


def interior(rng: random.Random, kind: str = "workshop"):
    """A room: shelves of books or tools, a long table, windows with daylight."""
    wall = {
        "workshop": (196, 186, 166),
        "library": (150, 110, 80),
        "bakery": (226, 214, 190),
        "clinic": (214, 226, 230),
    }[kind]
    img = gradient([shade(wall, 1.08), wall, shade(wall, 0.8)])
    draw = ImageDraw.Draw(img, "RGBA")
    for i in range(3):  # windows with a daylight wash
        x = 160 + i * 480
        draw.rectangle((x, 120, x + 240, 480), fill=(226, 238, 246))
        draw.line((x + 120, 120, x + 120, 480), fill=shade(wall, 0.6), width=8)
        draw.line((x, 300, x + 240, 300), fill=shade(wall, 0.6), width=8)
        draw.polygon(
            [(x, 480), (x + 240, 480), (x + 420, 900), (x - 120, 900)], fill=(255, 250, 230, 40)
        )
    draw.rectangle((0, 720, WIDTH, HEIGHT), fill=shade(wall, 0.55))
    if kind in {"library", "workshop"}:
        for y in (540, 620):
            draw.rectangle((0, y, WIDTH, y + 12), fill=(90, 64, 44))
            x = 0
            while x < WIDTH:
                w = rng.randint(14, 30)
                color = rng.choice(
                    [(150, 40, 40), (40, 80, 120), (200, 170, 90), (60, 110, 70), (110, 100, 90)]
                )
                draw.rectangle((x, y - rng.randint(50, 72), x + w, y), fill=color)
                x += w + 2
    if kind == "bakery":
        for y in (600, 690):
            draw.rectangle((0, y + 20, WIDTH, y + 34), fill=(120, 90, 64))
        for _ in range(44):
            x, y = rng.randint(40, WIDTH - 40), rng.choice((600, 690))
            draw.ellipse((x - 46, y - 26, x + 46, y + 26), fill=(180, 120, 60))
            draw.arc((x - 30, y - 16, x + 30, y + 10), 200, 340, fill=(230, 200, 150), width=4)
    draw.rectangle((200, 760, WIDTH - 200, 800), fill=(110, 78, 52))  # the table
    people(rng, draw, count=5, floor=HEIGHT + 80)
    return img


def portrait(rng: random.Random, background: RGB = (70, 90, 120)):
    """An anonymous head-and-shoulders silhouette for an author profile."""
    img = gradient([shade(background, 1.25), background, shade(background, 0.7)])
    draw = ImageDraw.Draw(img, "RGBA")
    cx = WIDTH // 2 + rng.randint(-80, 80)
    skin = rng.choice([(232, 196, 166), (196, 140, 104), (140, 96, 70), (98, 66, 50)])
    hair = rng.choice([(40, 30, 26), (110, 70, 40), (190, 160, 110), (150, 150, 150)])
    coat = rng.choice([(40, 50, 70), (120, 50, 50), (60, 90, 70), (200, 190, 170)])
    draw.ellipse((cx - 420, 700, cx + 420, 1400), fill=coat)
    draw.rectangle((cx - 70, 560, cx + 70, 740), fill=shade(skin, 0.9))
    draw.ellipse((cx - 170, 220, cx + 170, 640), fill=skin)
    draw.chord((cx - 185, 190, cx + 185, 560), 180, 360, fill=hair)
    if rng.random() < 0.5:  # longer hair
        draw.rectangle((cx - 185, 370, cx - 140, 690), fill=hair)
        draw.rectangle((cx + 140, 370, cx + 185, 690), fill=hair)
    return img


SCENES: dict[str, Callable[..., Image.Image]] = {
    "skyline": skyline,
    "river": river,
    "fields": fields,
    "harbour": harbour,
    "mountains": mountains,
    "forest": forest,
    "street": street,
    "market": market,
    "stage": stage,
    "lanterns": lanterns,
    "abstract": abstract,
    "interior": interior,
    "portrait": portrait,
}


def draw_photo(scene: str, seed: int, **options: object) -> bytes:
    """Draw one scene as JPEG bytes. The same scene, seed and options give the same bytes."""
    rng = random.Random(f"{scene}:{seed}")  # noqa: S311 - repeatable demo content, not secrets
    image = finish(SCENES[scene](rng, **options), rng)
    out = BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()
