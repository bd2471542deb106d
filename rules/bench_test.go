package rules_test

import (
	"testing"
	"time"

	"mailbot/bench/gen"
	"mailbot/parse"
	"mailbot/rules"
)

// BenchmarkClassify classifies a mix of fault reports, orders and
// mini-project requests with the embedded rules.
func BenchmarkClassify(b *testing.B) {
	eng, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	staff := gen.People(10, "bench")
	date := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	var inputs []rules.Input
	for i := range 30 {
		msg, err := parse.Parse(gen.Mail(i, staff[i%len(staff)], "support@stadt.example", "bench", date))
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, rules.Input{Mailbox: "support", Subject: msg.Subject, Body: msg.Text})
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		eng.Classify(inputs[i%len(inputs)], "a")
		i++
	}
}
