"""What every area uses: money, text, rooms, times, member matching, quantity reading, prices
and orders, fonts, file errors, errors and states, SQL helpers. Imports no area."""
