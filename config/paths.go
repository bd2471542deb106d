package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// PathProblems reports files and directories the configuration names that
// are missing or of the wrong kind, each line starting with its key. Their
// content is checked by the packages that read them. Load leaves this
// check to the commands that read the files, so a configuration can be
// loaded on a host without them.
func (c *Config) PathProblems() []string {
	var p []string
	file := func(key, path string) {
		if path == "" {
			return
		}
		fi, err := os.Stat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			p = append(p, fmt.Sprintf("%s: file %s not found", key, path))
		case err != nil:
			p = append(p, fmt.Sprintf("%s: %v", key, err))
		case fi.IsDir():
			p = append(p, fmt.Sprintf("%s: %s is a directory, want a file", key, path))
		}
	}
	file("rules.file", c.Rules.File)
	file("registers.budget_items", c.Registers.BudgetItems)
	file("registers.applications", c.Registers.Applications)
	file("registers.positions", c.Registers.Positions)
	if dir := c.Templates.Dir; dir != "" {
		fi, err := os.Stat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			p = append(p, fmt.Sprintf("templates.dir: directory %s not found", dir))
		case err != nil:
			p = append(p, fmt.Sprintf("templates.dir: %v", err))
		case !fi.IsDir():
			p = append(p, fmt.Sprintf("templates.dir: %s is not a directory", dir))
		}
	}
	return p
}
