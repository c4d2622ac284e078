// 编辑目的地与计划任务、任务的目的地与计划任务、删除的恢复状态的中文文本（并入 zh.ts）。
import type { enEdit } from './en.edit';

export const zhEdit: Record<keyof typeof enEdit, string> = {
  'dest.edit': '编辑',
  'dest.editTitle': '编辑 {name}',
  'dest.unchanged': '未更改——输入新值即可替换',
  'dest.saveChanges': '保存更改并测试',
  'schs.edit': '编辑',
  'schs.editTitle': '编辑计划任务',
  'schs.editWhere': '筛选条件（筛选语言；留空 = 全部记录）',
  'schs.editDest': '目的地（已保存的名称、文件夹或 URL）',
  'schs.editCeiling': '记录数上限（只能调低）',
  'schs.editWhat': '要更改对象或字段，请新建一个导出。',
  'schs.save': '保存',
  'schs.saved': '计划任务已保存：下次运行 {next}。',
  'jobs.col.destination': '目的地',
  'jobs.schedule': '计划任务',
  'jobs.fromSchedule': '由计划任务“{title}”启动',
  'jobs.scheduleGone': '由一个已删除的计划任务启动',
  'del.restoredAt': '已于 {when} 恢复',
  'del.restoreJob': '任务 {id}',
  'del.restoreRunning': '恢复正在进行',
  'del.restoreFailed': '上次恢复未完成（{status}）：可以再试一次。',
  'del.restoreRetry': '再次恢复',
  'del.restoredPartly': '{n} 条记录未能找回：请查看恢复任务的错误报告。',
};
