package config

import "log/slog"

// LogValue makes slog print a mailbox without its password.
func (m Mailbox) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", m.Name), slog.String("address", m.Address),
		slog.String("username", m.Username), slog.String("folder", m.Folder), slog.Bool("password_set", m.Password != ""))
}

// LogValue makes slog print the SMTP settings without the password.
func (s SMTP) LogValue() slog.Value {
	return slog.GroupValue(slog.String("host", s.Host), slog.Int("port", s.Port), slog.String("security", s.Security),
		slog.String("username", s.Username), slog.Bool("password_set", s.Password != ""))
}
