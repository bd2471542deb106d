package mailbot

import "testing"

func TestIsThanks(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"", true},
		{"  \n", true},
		{"Danke!", true},
		{"Vielen Dank, Gruß Anna", true},
		{"Herzlichen Dank für die schnelle Hilfe!\n\nAnna Beispiel", true},
		{"Thanks", true},
		{"Danke, aber wann kommt der Techniker?", false},
		{"Mein Monitor flackert seit heute Morgen.", false},
		{"Danke. Außerdem brauche ich noch einen zweiten Bildschirm für das Büro von Herrn Muster.", false},
	}
	for _, tc := range tests {
		if got := isThanks(tc.text); got != tc.want {
			t.Errorf("isThanks(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
