"""The model's pictures and diagram formats, all derived from the equations of one ``.mdl`` file.

- :mod:`.plan`, :mod:`.layout`, :mod:`.placement`, :mod:`.text`: decide and place what a stock-and-flow view shows;
- :mod:`.sketch`: Vensim's sketch format (read, write, splice into the ``.mdl``); :mod:`.draw` draws it;
- :mod:`.loops` and :mod:`.cld`: link polarities, named feedback loops and the causal-loop diagram;
- :mod:`.trace`: causes and uses trees (``innosd trace``); :mod:`.xmile`: XMILE export (``innosd export``);
- :mod:`.build`: regenerates all of them (``innosd describe --write``); :mod:`.readme`, :mod:`.names`: the
  model README's generated part and the variables' Chinese names.
"""
