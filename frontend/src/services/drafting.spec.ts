import { describe, expect, it } from "vitest";
import {
  applyTemplate,
  chineseNumber,
  contentForSave,
  contentFromDocument,
  contentProblems,
  directoryIndex,
  directoryTree,
  emptyContent,
  formFieldOf,
  headingNumbers,
  nodeValueOf,
  type Template,
} from "./drafting";
import type { Unit } from "./types";

const UNITS: Unit[] = [
  { id: 1, code: "XSX", name: "象山县人民政府", short_name: "县政府", kind: "county", parent_id: null, offices: [] },
  { id: 2, code: "ZFB", name: "象山县人民政府办公室", short_name: "县府办", kind: "department", parent_id: 1, offices: [{ id: 7, code: "ZCFG", name: "政策法规科" }] },
  { id: 3, code: "DXZ", name: "丹西街道办事处", short_name: "丹西街道", kind: "subdistrict", parent_id: 1, offices: [] },
];

describe("heading numbers", () => {
  it("numbers the four levels as 一、（一）1.（1） and restarts under each higher heading", () => {
    const blocks = [1, 2, 2, 3, 4, 4, 0, 3, 1, 2].map((level) => ({ level, text: "x" }));
    expect(headingNumbers(blocks)).toEqual(["一、", "（一）", "（二）", "1.", "（1）", "（2）", "", "2.", "二、", "（一）"]);
  });

  it.each([
    [1, "一"],
    [10, "十"],
    [12, "十二"],
    [20, "二十"],
    [35, "三十五"],
  ])("writes %i as %s", (n, expected) => {
    expect(chineseNumber(n)).toBe(expected);
  });
});

describe("directory tree", () => {
  it("puts towns and departments under the county and offices under their unit", () => {
    const tree = directoryTree(UNITS);
    expect(tree.map((n) => n.label)).toEqual(["象山县人民政府"]);
    const children = tree[0]?.children ?? [];
    expect(children.map((n) => n.value)).toEqual(["u:ZFB", "u:DXZ"]);
    expect(children[0]?.children[0]?.recipient).toEqual({ unit_code: "ZFB", name: "县府办政策法规科" });
  });

  it("finds the node of a stored recipient and none for an external organ", () => {
    const index = directoryIndex(directoryTree(UNITS));
    expect(nodeValueOf({ unit_code: "DXZ", name: "丹西街道办事处" }, index)).toBe("u:DXZ");
    expect(nodeValueOf({ unit_code: null, name: "宁波市人民政府" }, index)).toBeNull();
  });
});

describe("content", () => {
  const template: Template = {
    id: 4,
    unit_id: 2,
    name: "县府办通知",
    doc_type: "通知",
    issuer_mark: "象山县人民政府办公室文件",
    issuer_name: "象山县人民政府办公室",
    daizi: "象政办发",
    main_recipients: [{ unit_code: "DXZ", name: "丹西街道办事处" }],
    copy_recipients: [],
    publication_level: "公开",
    printing_organ: "象山县人民政府办公室",
  };

  it("lets a template fill the header elements but keep the drafter's title and body", () => {
    const mine = { ...emptyContent(), title: "关于做好防汛工作的通知", body: [{ level: 0, text: "正文" }] };
    const filled = applyTemplate(mine, template);
    expect(filled.title).toBe("关于做好防汛工作的通知");
    expect(filled.body).toEqual([{ level: 0, text: "正文" }]);
    expect(filled.issuer_names).toEqual(["象山县人民政府办公室"]);
    expect(filled.daizi).toBe("象政办发");
    expect(filled.main_recipients).toEqual(template.main_recipients);
  });

  it("reads a stored document into the form, filling what it lacks", () => {
    const form = contentFromDocument({ title: "关于…的请示", doc_type: "请示", signers: ["张三"], urgency: "" });
    expect(form.title).toBe("关于…的请示");
    expect(form.urgency).toBeNull();
    expect(form.signers).toEqual(["张三"]);
    expect(form.body).toEqual([{ level: 0, text: "" }]);
  });

  it("drops blank body blocks, signers of a downward document and 密级 on an unclassified system", () => {
    const saved = contentForSave(
      { ...emptyContent(), title: " 标题 ", classification: "秘密", signers: ["张三"], body: [{ level: 0, text: "" }, { level: 1, text: "总体要求" }] },
      false,
    );
    expect(saved.title).toBe("标题");
    expect(saved.classification).toBeNull();
    expect(saved.signers).toEqual([]);
    expect(saved.body).toEqual([{ level: 1, text: "总体要求" }]);
  });

  it("asks for 签发人 on a 请示 and for 份号 on a classified document", () => {
    const base = { ...emptyContent(), title: "t", issuer_mark: "m", issuer_names: ["n"], daizi: "象政发" };
    expect(contentProblems(base, false)).toEqual({});
    expect(contentProblems({ ...base, doc_type: "请示" }, false)).toEqual({ signers: "signersNeeded" });
    expect(contentProblems({ ...base, classification: "秘密" }, true)).toEqual({ copy_number: "copyNumberNeeded" });
    expect(contentProblems(emptyContent(), false)).toEqual({ title: "required", issuer_mark: "required", issuer_names: "required", daizi: "required" });
  });

  it.each([
    ["title", "title"],
    ["content.title", "title"],
    ["main_recipients[1].unit_code", "main_recipients"],
    ["content.body.3.text", "body"],
    ["body[2]", "body"],
  ])("puts the server's error on %s under the %s field", (path, field) => {
    expect(formFieldOf(path)).toBe(field);
  });
});
