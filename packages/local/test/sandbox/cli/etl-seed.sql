create table sales_copy (id bigint, amount decimal(12,2));
