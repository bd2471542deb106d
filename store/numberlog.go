package store

import "log/slog"

// LogValue logs a ticket number as "2026-00042", and the zero Number of a
// mail that belongs to no ticket as "none" rather than "0000-00000".
func (n Number) LogValue() slog.Value {
	if n.IsZero() {
		return slog.StringValue("none")
	}
	return slog.StringValue(n.String())
}
