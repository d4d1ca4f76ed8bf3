// Survey results: satisfaction by group and by question, against the 85% line.
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("group-chart");
  if (!el || !window.echarts) return;
  const data = JSON.parse(el.dataset.chart);
  const chart = echarts.init(el);
  chart.setOption({
    grid: { left: 48, right: 16, top: 32, bottom: 48, containLabel: true },
    tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : v + "%") },
    xAxis: { type: "category", data: data.groups, axisLabel: { interval: 0, rotate: data.groups.length > 5 ? 30 : 0 } },
    yAxis: { type: "value", min: 0, max: 100, name: "满意度（%）" },
    series: [{
      type: "bar", data: data.rates, name: "满意度",
      markLine: { symbol: "none", data: [{ yAxis: 85, name: "85%" }], label: { formatter: "85%" }, lineStyle: { color: "#cf222e" } },
    }],
  });
  window.addEventListener("resize", () => chart.resize());
});
