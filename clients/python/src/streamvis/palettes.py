"""Bokeh palette names: a colour argument must name one (the page resolves it to colours).

The list is BokehJS 3.10's, as packages/format/src/palettes.ts has it; a test checks the two
lists are the same.
"""

from __future__ import annotations

import re
from typing import Any

from .checks import ArgumentError, Shown

# One family a line.
_FAMILIES = [
    'YlGn3 YlGn4 YlGn5 YlGn6 YlGn7 YlGn8 YlGn9',
    'YlGnBu3 YlGnBu4 YlGnBu5 YlGnBu6 YlGnBu7 YlGnBu8 YlGnBu9',
    'GnBu3 GnBu4 GnBu5 GnBu6 GnBu7 GnBu8 GnBu9',
    'BuGn3 BuGn4 BuGn5 BuGn6 BuGn7 BuGn8 BuGn9',
    'PuBuGn3 PuBuGn4 PuBuGn5 PuBuGn6 PuBuGn7 PuBuGn8 PuBuGn9',
    'PuBu3 PuBu4 PuBu5 PuBu6 PuBu7 PuBu8 PuBu9',
    'BuPu3 BuPu4 BuPu5 BuPu6 BuPu7 BuPu8 BuPu9',
    'RdPu3 RdPu4 RdPu5 RdPu6 RdPu7 RdPu8 RdPu9',
    'PuRd3 PuRd4 PuRd5 PuRd6 PuRd7 PuRd8 PuRd9',
    'OrRd3 OrRd4 OrRd5 OrRd6 OrRd7 OrRd8 OrRd9',
    'YlOrRd3 YlOrRd4 YlOrRd5 YlOrRd6 YlOrRd7 YlOrRd8 YlOrRd9',
    'YlOrBr3 YlOrBr4 YlOrBr5 YlOrBr6 YlOrBr7 YlOrBr8 YlOrBr9',
    'Purples3 Purples4 Purples5 Purples6 Purples7 Purples8 Purples9',
    'Blues3 Blues4 Blues5 Blues6 Blues7 Blues8 Blues9',
    'Greens3 Greens4 Greens5 Greens6 Greens7 Greens8 Greens9',
    'Oranges3 Oranges4 Oranges5 Oranges6 Oranges7 Oranges8 Oranges9',
    'Reds3 Reds4 Reds5 Reds6 Reds7 Reds8 Reds9',
    'Greys3 Greys4 Greys5 Greys6 Greys7 Greys8 Greys9 Greys10 Greys11 Greys256',
    'PuOr3 PuOr4 PuOr5 PuOr6 PuOr7 PuOr8 PuOr9 PuOr10 PuOr11',
    'BrBG3 BrBG4 BrBG5 BrBG6 BrBG7 BrBG8 BrBG9 BrBG10 BrBG11',
    'PRGn3 PRGn4 PRGn5 PRGn6 PRGn7 PRGn8 PRGn9 PRGn10 PRGn11',
    'PiYG3 PiYG4 PiYG5 PiYG6 PiYG7 PiYG8 PiYG9 PiYG10 PiYG11',
    'RdBu3 RdBu4 RdBu5 RdBu6 RdBu7 RdBu8 RdBu9 RdBu10 RdBu11',
    'RdGy3 RdGy4 RdGy5 RdGy6 RdGy7 RdGy8 RdGy9 RdGy10 RdGy11',
    'RdYlBu3 RdYlBu4 RdYlBu5 RdYlBu6 RdYlBu7 RdYlBu8 RdYlBu9 RdYlBu10 RdYlBu11',
    'Spectral3 Spectral4 Spectral5 Spectral6 Spectral7 Spectral8 Spectral9 Spectral10 Spectral11',
    'RdYlGn3 RdYlGn4 RdYlGn5 RdYlGn6 RdYlGn7 RdYlGn8 RdYlGn9 RdYlGn10 RdYlGn11',
    'Bokeh3 Bokeh4 Bokeh5 Bokeh6 Bokeh7 Bokeh8',
    'Inferno3 Inferno4 Inferno5 Inferno6 Inferno7 Inferno8 Inferno9 Inferno10 Inferno11 Inferno256',
    'Magma3 Magma4 Magma5 Magma6 Magma7 Magma8 Magma9 Magma10 Magma11 Magma256',
    'Plasma3 Plasma4 Plasma5 Plasma6 Plasma7 Plasma8 Plasma9 Plasma10 Plasma11 Plasma256',
    'Viridis3 Viridis4 Viridis5 Viridis6 Viridis7 Viridis8 Viridis9 Viridis10 Viridis11 Viridis256',
    'Cividis3 Cividis4 Cividis5 Cividis6 Cividis7 Cividis8 Cividis9 Cividis10 Cividis11 Cividis256',
    'Turbo3 Turbo4 Turbo5 Turbo6 Turbo7 Turbo8 Turbo9 Turbo10 Turbo11 Turbo256',
    'Accent3 Accent4 Accent5 Accent6 Accent7 Accent8',
    'Dark2_3 Dark2_4 Dark2_5 Dark2_6 Dark2_7 Dark2_8',
    'Paired3 Paired4 Paired5 Paired6 Paired7 Paired8 Paired9 Paired10 Paired11 Paired12',
    'Pastel1_3 Pastel1_4 Pastel1_5 Pastel1_6 Pastel1_7 Pastel1_8 Pastel1_9',
    'Pastel2_3 Pastel2_4 Pastel2_5 Pastel2_6 Pastel2_7 Pastel2_8',
    'Set1_3 Set1_4 Set1_5 Set1_6 Set1_7 Set1_8 Set1_9',
    'Set2_3 Set2_4 Set2_5 Set2_6 Set2_7 Set2_8',
    'Set3_3 Set3_4 Set3_5 Set3_6 Set3_7 Set3_8 Set3_9 Set3_10 Set3_11 Set3_12',
    'Category10_3 Category10_4 Category10_5 Category10_6 Category10_7 Category10_8 Category10_9 Category10_10',
    'Category20_3 Category20_4 Category20_5 Category20_6 Category20_7 Category20_8 Category20_9 Category20_10 Category20_11 Category20_12 Category20_13 Category20_14 Category20_15 Category20_16 Category20_17 Category20_18 Category20_19 Category20_20',
    'Category20b_3 Category20b_4 Category20b_5 Category20b_6 Category20b_7 Category20b_8 Category20b_9 Category20b_10 Category20b_11 Category20b_12 Category20b_13 Category20b_14 Category20b_15 Category20b_16 Category20b_17 Category20b_18 Category20b_19 Category20b_20',
    'Category20c_3 Category20c_4 Category20c_5 Category20c_6 Category20c_7 Category20c_8 Category20c_9 Category20c_10 Category20c_11 Category20c_12 Category20c_13 Category20c_14 Category20c_15 Category20c_16 Category20c_17 Category20c_18 Category20c_19 Category20c_20',
    'Colorblind3 Colorblind4 Colorblind5 Colorblind6 Colorblind7 Colorblind8',
    'Bright3 Bright4 Bright5 Bright6 Bright7',
    'HighContrast3',
    'Vibrant3 Vibrant4 Vibrant5 Vibrant6 Vibrant7',
    'Muted3 Muted4 Muted5 Muted6 Muted7 Muted8 Muted9',
    'MediumContrast3 MediumContrast4 MediumContrast5 MediumContrast6',
    'PaleTextBackground',
    'DarkText',
    'Light3 Light4 Light5 Light6 Light7 Light8 Light9',
    'Sunset3 Sunset4 Sunset5 Sunset6 Sunset7 Sunset8 Sunset9 Sunset10 Sunset11',
    'BuRd3 BuRd4 BuRd5 BuRd6 BuRd7 BuRd8 BuRd9',
    'TolPRGn3 TolPRGn4 TolPRGn5 TolPRGn6 TolPRGn7 TolPRGn8 TolPRGn9',
    'TolYlOrBr3 TolYlOrBr4 TolYlOrBr5 TolYlOrBr6 TolYlOrBr7 TolYlOrBr8 TolYlOrBr9',
    'Iridescent3 Iridescent4 Iridescent5 Iridescent6 Iridescent7 Iridescent8 Iridescent9 Iridescent10 Iridescent11 Iridescent12 Iridescent13 Iridescent14 Iridescent15 Iridescent16 Iridescent17 Iridescent18 Iridescent19 Iridescent20 Iridescent21 Iridescent22 Iridescent23',
    'TolRainbow3 TolRainbow4 TolRainbow5 TolRainbow6 TolRainbow7 TolRainbow8 TolRainbow9 TolRainbow10 TolRainbow11 TolRainbow12 TolRainbow13 TolRainbow14 TolRainbow15 TolRainbow16 TolRainbow17 TolRainbow18 TolRainbow19 TolRainbow20 TolRainbow21 TolRainbow22 TolRainbow23',]

#: Every Bokeh palette name, e.g. 'Viridis256', 'Turbo256', 'Category10_10'.
PALETTES: frozenset[str] = frozenset(name for family in _FAMILIES for name in family.split(' '))
_ORDERED = [name for family in _FAMILIES for name in family.split(' ')]


def _family(name: str) -> str:
    # JavaScript's /_?\d*$/: ASCII digits, at the very end.
    return re.sub(r'_?[0-9]*\Z', '', name, count=1).lower()


def check_palette(name: Any, where: str) -> str:
    """Raises, naming the argument `where`, unless `name` is a Bokeh palette name."""
    if isinstance(name, str) and name in PALETTES:
        return name
    # Suggest the sizes of a known family ('Viridis' -> 'Viridis3', ..., 'Viridis256').
    family = _family(name) if isinstance(name, str) else ''
    near = [p for p in _ORDERED if _family(p) == family] if family else []
    hint = f"; did you mean one of {', '.join(near)}?" if near else "; e.g. 'Viridis256', 'Turbo256', 'Category10_10'"
    raise ArgumentError(f'{where}: unknown palette ', Shown(name), hint)
