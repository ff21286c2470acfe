-- One reason code for one rule, whatever the source: an end before its start is
-- `end_before_start` for Cortège too (it was `fin_before_debut`), so that a count of the
-- quarantine by reason, or an alert on one, means the same thing for every source.
update quarantine.records set reason_code = 'end_before_start' where reason_code = 'fin_before_debut';
