-- The true (lead, event, time) of every unsubscribe event, before any mess is
-- applied (timed_events: no text is formatted, so it is cheap to read again):
-- the consents withdraw marketing exactly when the lead unsubscribed, even
-- where the event row lost its lead_id or got an unparseable timestamp.
CREATE TABLE unsubscribes AS
SELECT lead_num, e, ts_us FROM timed_events WHERE event_type = 'unsubscribe';
