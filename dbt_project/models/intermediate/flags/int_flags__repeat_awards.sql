{#- repeat_awards — "abuso de la contratación" (docs/indicators/repeat_awards.md, corrected rule):
    an entity awards the same supplier at least `repeat_awards_min` distinct awards in one calendar
    year of the award date. Every award of a firing (entity, supplier, year) group is flagged;
    the group is the irregularity unit. -#}
{{ flags__repeat_awards(evaluated_awards('repeat_awards')) }}
