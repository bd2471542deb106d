package config

import (
	"sort"
	"strings"
)

// RolesOf returns the names of the roles ("it", "orga", …) whose address
// lists hold addr, compared without case, in alphabetical order.
func (r Roles) RolesOf(addr string) []string {
	addr = strings.ToLower(strings.TrimSpace(addr))
	if addr == "" {
		return nil
	}
	var out []string
	for role, list := range r.byName() {
		for _, a := range list {
			if strings.ToLower(strings.TrimSpace(a)) == addr {
				out = append(out, role)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}
