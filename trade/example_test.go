package trade_test

import (
	"fmt"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/trade"
)

// Two states: Brazil sells crude oil, which the United States buys, and the
// United States sells computers, which Brazil buys. In a world of two states
// one's exports are the other's imports, so TC is 100 both ways.
func Example() {
	ty := &concord.TradeYear{Classification: "HS17", Year: 2020, HasImports: true,
		Values: []concord.TradeValue{
			{State: "BRA", Product: "270900", Export: 30, Import: 0},
			{State: "BRA", Product: "847130", Export: 10, Import: 60},
			{State: "USA", Product: "270900", Export: 0, Import: 30},
			{State: "USA", Product: "847130", Export: 60, Import: 10},
		},
		Flows: []concord.TradeFlow{{Exporter: "BRA", Importer: "USA", Value: 40}, {Exporter: "USA", Importer: "BRA", Value: 60}},
	}
	t := trade.NewTable(ty)
	p, _ := t.Pair("BRA", "USA")
	fmt.Printf("TC BRA→USA %.1f, USA→BRA %.1f\n", p.TCAB, p.TCBA)
	rca, _ := t.StateRCA("BRA")
	fmt.Printf("Brazil's advantage: %s (%s), RCA %.2f\n", rca[0].Product, rca[0].Name, rca[0].RCA)
	c, _ := t.ComplementaryProducts("BRA", "USA")
	fmt.Printf("for the US: %s, section %s (%s)\n", c.Products[0].Product, c.Products[0].Section, c.Products[0].SectionName)
	// Output:
	// TC BRA→USA 100.0, USA→BRA 100.0
	// Brazil's advantage: 270900 (Mineral fuels, oils and waxes), RCA 2.50
	// for the US: 270900, section V (Mineral products)
}
