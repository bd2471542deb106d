package config

import "testing"

func TestDepartment(t *testing.T) {
	j := JourFixe{DepartmentMembers: map[string][]string{"50": {"@amt50.stadt.example"}, "51": {"anna@stadt.example"}}}
	tests := []struct{ position, requester, want string }{
		{"50.3.12", "anna@stadt.example", "50"},
		{"", "Anna@stadt.example", "51"},
		{"", "bert@amt50.stadt.example", "50"},
		{"", "bert@stadt.example", ""},
	}
	for _, tt := range tests {
		if got := j.Department(tt.position, tt.requester); got != tt.want {
			t.Errorf("Department(%q, %q) = %q, want %q", tt.position, tt.requester, got, tt.want)
		}
	}
}
