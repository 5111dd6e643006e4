/**
 * Words of the 委托 and workflow-settings pages, Chinese first; kept beside
 * the pages (see pages/outgoing/messages.ts for why).
 */
import { useI18n } from "vue-i18n";

const zhCN = {
  delegation: {
    title: "委托",
    intro: "出差或休假时，可把自己的待办在一段时间内委托同事代办；代办记录会注明“代某某”。",
    given: "我委托的",
    received: "委托给我的",
    create: "新建委托",
    delegate: "受托人",
    person: "委托人",
    period: "期间",
    startsAt: "开始",
    endsAt: "结束",
    reason: "事由",
    state: "状态",
    active: "生效中",
    revoked: "已撤销",
    inactive: "未生效或已过期",
    revoke: "撤销",
    revokeConfirm: "撤销对 {name} 的委托？撤销后待办不再由其代办。",
    created: "委托已建立",
    revokedDone: "委托已撤销",
    actingFor: "正在代 {names} 办理",
    problems: { required: "请选择起止时间", endsBeforeStart: "结束时间须晚于开始时间", delegate: "请选择受托人" },
  },
  workflow: {
    title: "发文流程设置",
    unit: "单位",
    standard: "本单位使用标准流程；保存后即为本单位的自定义流程。",
    customised: "本单位自定义流程，最后修改于 {at}",
    name: "流程名称",
    step: "步骤",
    role: "角色",
    people: "指定办理人",
    optional: "可跳过",
    deadline: "时限（小时）",
    policy: "会签规则",
    policies: { all: "全部同意", any: "任一同意", quorum: "达到人数" },
    quorum: "人数",
    drafterMayCountersign: "拟稿人可会签",
    addStep: "添加步骤",
    save: "保存流程",
    saved: "流程已保存",
    remove: "删除",
    quorumProblem: "人数须在 1 与指定人数之间",
  },
};

type Messages = typeof zhCN;

const en: Messages = {
  delegation: {
    title: "Delegations",
    intro: "When away, hand your work to a colleague for a period; what they do is recorded as done on your behalf.",
    given: "Given by me",
    received: "Given to me",
    create: "New delegation",
    delegate: "Delegate",
    person: "Delegator",
    period: "Period",
    startsAt: "Starts",
    endsAt: "Ends",
    reason: "Reason",
    state: "State",
    active: "In force",
    revoked: "Revoked",
    inactive: "Not in force",
    revoke: "Revoke",
    revokeConfirm: "Revoke the delegation to {name}? Your work will no longer go to them.",
    created: "Delegation created",
    revokedDone: "Delegation revoked",
    actingFor: "Acting for {names}",
    problems: { required: "Choose when it starts and ends", endsBeforeStart: "It must end after it starts", delegate: "Choose the delegate" },
  },
  workflow: {
    title: "Workflow settings",
    unit: "Unit",
    standard: "This unit uses the standard workflow; saving makes it the unit's own.",
    customised: "The unit's own workflow, last changed {at}",
    name: "Name",
    step: "Step",
    role: "Role",
    people: "Named holders",
    optional: "Optional",
    deadline: "Deadline (hours)",
    policy: "Countersign rule",
    policies: { all: "All agree", any: "Any agrees", quorum: "Quorum" },
    quorum: "Quorum",
    drafterMayCountersign: "Drafter may countersign",
    addStep: "Add step",
    save: "Save workflow",
    saved: "Workflow saved",
    remove: "Remove",
    quorumProblem: "The quorum must be between 1 and the number of named holders",
  },
};

export const adminMessages = { "zh-CN": zhCN, en };

export function useAdminI18n() {
  return useI18n({ messages: adminMessages, useScope: "local", inheritLocale: true });
}
