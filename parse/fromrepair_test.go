package parse

import "testing"

func TestRepairFromRewrittenName(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Address
		ok   bool
	}{
		{"qualified by the server", `Muster@mx.stadt.example, Max <muster@stadt.example>`,
			Address{"Muster, Max", "muster@stadt.example"}, true},
		{"two name parts", `Muster@mx.stadt.example, Dr.@mx.stadt.example, Max <muster@stadt.example>`, Address{}, false},
		{"umlaut and hyphen", `Müller-Lüdenscheidt@mx.stadt.example, Eva <eva.mueller@stadt.example>`,
			Address{"Müller-Lüdenscheidt, Eva", "eva.mueller@stadt.example"}, true},
		{"two named authors", `Anna <anna@example.org>, Ben <ben@example.org>`, Address{}, false},
		{"bare author before a named one", `it-service2@example.org, Ben <ben@example.org>`, Address{}, false},
		{"named address first", `Max <muster@stadt.example>, Muster@mx.stadt.example`, Address{}, false},
		{"one address", `Max Muster <muster@stadt.example>`, Address{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := repairFrom(tt.in, &warnings{})
			if ok != tt.ok || got != tt.want {
				t.Errorf("repairFrom = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseFromRewrittenName(t *testing.T) {
	raw := "From: Muster@mx.stadt.example, Max <muster@stadt.example>\r\nTo: 3344@stadt.example\r\n" +
		"Subject: Drucker\r\nMessage-ID: <from-1@stadt.example>\r\n\r\nDer Drucker ist kaputt.\r\n"
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if m.From.Addr != "muster@stadt.example" || m.From.Name != "Muster, Max" {
		t.Errorf("From = %+v, want Muster, Max <muster@stadt.example>", m.From)
	}
}
